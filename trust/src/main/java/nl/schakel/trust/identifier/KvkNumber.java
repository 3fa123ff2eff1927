package nl.schakel.trust.identifier;

/**
 * A Kamer van Koophandel number: exactly eight ASCII digits. It has no check digit, so any eight
 * digits are accepted. (Vestigingsnummers have 12 digits and RSINs 9; neither is a KvK number.)
 *
 * @param digits the eight digits; validated on construction
 */
public record KvkNumber(String digits) implements Identifier {

  static final int LENGTH = 8;

  public KvkNumber {
    if (digits == null) {
      throw new InvalidIdentifierException("KvK number is missing");
    }
    if (digits.length() != LENGTH || !Ascii.isAllDigits(digits)) {
      throw new InvalidIdentifierException(
          "KvK number must be exactly " + LENGTH + " ASCII digits, found " + Ascii.describe(digits));
    }
  }

  /**
   * Parses a KvK number: exactly 8 ASCII digits, nothing else.
   *
   * @throws InvalidIdentifierException naming the rule that failed, never the value
   */
  public static KvkNumber parse(String text) {
    return new KvkNumber(text);
  }

  @Override
  public IdentifierForm form() {
    return IdentifierForm.KVK;
  }

  @Override
  public String canonical() {
    return digits;
  }

  @Override
  public String toString() {
    return "KvkNumber[redacted]";
  }
}
