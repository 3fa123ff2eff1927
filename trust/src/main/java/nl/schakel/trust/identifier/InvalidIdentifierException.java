package nl.schakel.trust.identifier;

/**
 * An identifier or area code failed validation. The message names the rule that failed and what
 * was expected, and never contains the rejected value: it may be a real citizen's BSN with one
 * typo, and error messages end up in logs and HTTP responses.
 */
public final class InvalidIdentifierException extends IllegalArgumentException {

  InvalidIdentifierException(String message) {
    super(message);
  }
}
