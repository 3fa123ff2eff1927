package nl.schakel.trust.identifier;

import java.util.Optional;

/**
 * An identifier from the Basisregistratie Adressen en Gebouwen: 16 ASCII digits made of the
 * municipality code (4), the object type (2) and a sequence number (10).
 *
 * @param digits the sixteen digits; validated on construction
 */
public record BagId(String digits) implements Identifier {

  static final int LENGTH = 16;

  /** The BAG object types, by the two-digit code at positions 5-6 of the id. */
  public enum ObjectType {
    VERBLIJFSOBJECT("01"),
    LIGPLAATS("02"),
    STANDPLAATS("03"),
    PAND("10"),
    NUMMERAANDUIDING("20"),
    OPENBARE_RUIMTE("30");

    private final String code;

    ObjectType(String code) {
      this.code = code;
    }

    /** The two-digit code as it appears in the id. */
    public String code() {
      return code;
    }

    static Optional<ObjectType> fromCode(String code) {
      for (ObjectType type : values()) {
        if (type.code.equals(code)) {
          return Optional.of(type);
        }
      }
      return Optional.empty();
    }
  }

  public BagId {
    if (digits == null) {
      throw new InvalidIdentifierException("BAG id is missing");
    }
    if (digits.length() != LENGTH || !Ascii.isAllDigits(digits)) {
      throw new InvalidIdentifierException(
          "BAG id must be exactly " + LENGTH + " ASCII digits, found " + Ascii.describe(digits));
    }
    if (ObjectType.fromCode(typeCode(digits)).isEmpty()) {
      throw new InvalidIdentifierException(
          "BAG id object type (digits 5-6) must be one of 01, 02, 03, 10, 20, 30");
    }
  }

  /**
   * Parses a BAG id: exactly 16 ASCII digits with a known object type.
   *
   * @throws InvalidIdentifierException naming the rule that failed, never the value
   */
  public static BagId parse(String text) {
    return new BagId(text);
  }

  private static String typeCode(String digits) {
    return digits.substring(4, 6);
  }

  /** The four-digit CBS municipality code that issued the id, e.g. "0344" for Utrecht. */
  public String municipalityCode() {
    return digits.substring(0, 4);
  }

  public ObjectType objectType() {
    return ObjectType.fromCode(typeCode(digits)).orElseThrow();
  }

  @Override
  public IdentifierForm form() {
    return IdentifierForm.BAG_ID;
  }

  @Override
  public String canonical() {
    return digits;
  }

  @Override
  public String toString() {
    return "BagId[redacted]";
  }
}
