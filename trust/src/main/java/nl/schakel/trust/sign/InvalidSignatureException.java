package nl.schakel.trust.sign;

import java.security.SignatureException;

/**
 * A signature did not verify, or could not be a signature at all (wrong length, no known key).
 * Checked, like Tink's {@code GeneralSecurityException}, so a caller cannot forget the failure
 * case; a subtype of the JDK's {@link SignatureException} so existing handlers catch it too.
 */
public final class InvalidSignatureException extends SignatureException {
  private static final long serialVersionUID = 1L;

  public InvalidSignatureException(String message) {
    super(message);
  }
}
