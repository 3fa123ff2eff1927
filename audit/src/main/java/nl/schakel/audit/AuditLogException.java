package nl.schakel.audit;

/**
 * The log could not do what was asked: an append was not made durable (I/O failure, log closed,
 * too many appends pending) or stored bytes no longer match their checksum. Callers answering a
 * question must treat it as "cannot log" and ask nobody.
 */
public final class AuditLogException extends RuntimeException {

  AuditLogException(String message) {
    super(message);
  }

  AuditLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
