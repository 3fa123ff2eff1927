package nl.schakel.trust.jwt;

import java.util.Objects;

/**
 * An analyst credential that is refused. The {@link #code()} is stable, for answers, logs and
 * metrics ({@code credential-expired}); the message says what was expected and what was found,
 * and never contains the token, the person it names, or any other claim a token could smuggle
 * into a log.
 */
public final class CredentialException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a credential was refused. */
  public enum Reason {
    /** No token at all. */
    MISSING("credential-missing"),
    /** Not signed by a key of the party's issuer with an accepted algorithm. */
    INVALID_SIGNATURE("credential-invalid-signature"),
    /** Its {@code exp} has passed. */
    EXPIRED("credential-expired"),
    /** Its {@code iat} or {@code nbf} is further in the future than the allowed clock skew. */
    NOT_YET_VALID("credential-not-yet-valid"),
    /** Issued to live longer than credentials that travel to nodes may. */
    TOO_LONG_LIVED("credential-too-long-lived"),
    /** Its {@code iss} is not the issuer configured for the party, or none is configured. */
    WRONG_ISSUER("credential-wrong-issuer"),
    /** Its {@code aud} does not name this federation's audience. */
    WRONG_AUDIENCE("credential-wrong-audience"),
    /** Its {@code org} is another party than the one the question is asked for. */
    WRONG_PARTY("credential-wrong-party"),
    /** Not a compact JWS with the required header and claims, or larger than allowed. */
    MALFORMED("credential-malformed"),
    /** Names a key ({@code kid}) the party's issuer does not have. */
    UNKNOWN_KEY("credential-unknown-key");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** The stable code, e.g. {@code credential-expired}. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public CredentialException(Reason reason, String message) {
    super(reason.code() + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /** Shorthand for {@code reason().code()}. */
  public String code() {
    return reason.code();
  }
}
