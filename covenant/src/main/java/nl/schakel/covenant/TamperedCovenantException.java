package nl.schakel.covenant;

import java.util.Objects;

/**
 * A convenant file whose text no longer matches signatures its parties made with their own keys:
 * someone changed it after signing (or altered a signature). Unlike a missing signature, which
 * only means "not in force yet", this is an alarm, so loading fails.
 */
public final class TamperedCovenantException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient SignatureCheck check;

  TamperedCovenantException(String file, SignatureCheck check) {
    super(describe(file, check));
    this.check = Objects.requireNonNull(check, "check");
  }

  /** The full check, for showing every party's state. */
  public SignatureCheck check() {
    return check;
  }

  private static String describe(String file, SignatureCheck check) {
    return file + " (" + check.covenantLabel() + ") was changed after it was signed: the"
        + " signatures of " + String.join(", ", check.mismatched()) + " do not match its text."
        + " Restore the text they signed, or have every party sign the new text.";
  }
}
