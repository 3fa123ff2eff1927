package nl.schakel.gateway;

import java.util.concurrent.CompletableFuture;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.AuditLog;
import nl.schakel.proto.v1.AuditEntry;

/**
 * The gateway's side of principle 5: entries go to the durable log, and a caller learns of
 * success only once the entry is on disk. A failed append fails the future; the caller then asks
 * nobody and answers 503.
 */
final class AuditTrail {
  private final AuditLog log;

  AuditTrail(AuditLog log) {
    this.log = log;
  }

  CompletableFuture<AppendResult> append(AuditEntry entry) {
    try {
      return log.append(entry.toByteArray());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  boolean writable() {
    return log.writable();
  }

  AuditLog log() {
    return log;
  }
}
