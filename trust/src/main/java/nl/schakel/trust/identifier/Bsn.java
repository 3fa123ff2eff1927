package nl.schakel.trust.identifier;

/**
 * A burgerservicenummer: nine ASCII digits that pass the elfproef.
 *
 * @param digits the nine digits; validated on construction
 */
public record Bsn(String digits) implements Identifier {

  static final int LENGTH = 9;
  /** Numbers issued before the BSN (sofinummers) are sometimes stored without their leading 0. */
  static final int LEGACY_LENGTH = 8;

  public Bsn {
    if (digits == null) {
      throw new InvalidIdentifierException("BSN is missing");
    }
    if (digits.length() != LENGTH || !Ascii.isAllDigits(digits)) {
      throw new InvalidIdentifierException(
          "BSN must be exactly " + LENGTH + " ASCII digits, found " + Ascii.describe(digits));
    }
    if (!passesElfproef(digits)) {
      throw new InvalidIdentifierException("BSN fails the elfproef (11-test)");
    }
  }

  /**
   * Parses a BSN. Exactly 9 ASCII digits, or 8 to which a leading zero is added. No trimming:
   * surrounding whitespace, separators, signs and non-ASCII digits are rejected.
   *
   * @throws InvalidIdentifierException naming the rule that failed, never the value
   */
  public static Bsn parse(String text) {
    if (text != null && text.length() == LEGACY_LENGTH && Ascii.isAllDigits(text)) {
      return new Bsn("0" + text);
    }
    return new Bsn(text);
  }

  /**
   * The elfproef for BSNs: S = 9d1 + 8d2 + ... + 2d8 - 1d9 must be a multiple of 11. S == 0
   * (000000000) is excluded explicitly, since it passes the arithmetic but is no number.
   */
  private static boolean passesElfproef(String digits) {
    int sum = 0;
    for (int i = 0; i < LENGTH - 1; i++) {
      sum += (LENGTH - i) * (digits.charAt(i) - '0');
    }
    sum -= digits.charAt(LENGTH - 1) - '0';
    return sum != 0 && sum % 11 == 0;
  }

  @Override
  public IdentifierForm form() {
    return IdentifierForm.BSN;
  }

  @Override
  public String canonical() {
    return digits;
  }

  @Override
  public String toString() {
    return "Bsn[redacted]";
  }
}
