package nl.schakel.trust.pki;

import java.util.Objects;

/**
 * A certificate the federation CA does not vouch for, for the purpose it was offered for. The
 * {@link #reason()} lets callers map the refusal precisely (a gRPC {@code PERMISSION_DENIED}, a
 * metric label); the message says what was expected and what was found.
 */
public final class UntrustedCertificateException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a certificate was refused. */
  public enum Reason {
    /** Not issued by the federation CA: another issuer, or its signature does not verify. */
    WRONG_CA,
    /** Past its notAfter, or the federation CA's certificate is. */
    EXPIRED,
    /** Before its notBefore. */
    NOT_YET_VALID,
    /** Names another party than the one expected, or no party, or more than one. */
    WRONG_PARTY,
    /** Issued for another purpose: a TLS certificate offered as a signing certificate or back. */
    WRONG_USAGE,
    /** Certifies a key of another algorithm than the purpose needs. */
    WRONG_KEY_TYPE,
    /** Its key id is on the federation's denylist. */
    REVOKED,
    /** Cannot be read as the kind of certificate the federation issues. */
    MALFORMED
  }

  private final Reason reason;

  public UntrustedCertificateException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
