package nl.schakel.trust.identifier;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A CBS statistical area: gemeente (GM + 4 digits), wijk (WK + 6) or buurt (BU + 8). In large
 * municipalities the district and neighbourhood positions may hold letters. An area is not
 * personal data, so it is no {@link Identifier} and prints its code.
 *
 * @param level the area's level, which must agree with the code's prefix
 * @param code the upper-case code, e.g. "BU03440101"
 */
public record AreaCode(Level level, String code) {

  /** The CBS area levels, from large to small. */
  public enum Level {
    GEMEENTE("GM", "^GM[0-9]{4}$"),
    WIJK("WK", "^WK[0-9]{4}[0-9A-Z]{2}$"),
    BUURT("BU", "^BU[0-9]{4}[0-9A-Z]{4}$");

    private final String prefix;
    private final Pattern pattern;

    Level(String prefix, String pattern) {
      this.prefix = prefix;
      this.pattern = Pattern.compile(pattern);
    }

    /** The two-letter prefix of codes at this level, e.g. "BU". */
    public String prefix() {
      return prefix;
    }
  }

  // A rejected code is never echoed: a user may have pasted a BSN into the area field.
  public AreaCode {
    Objects.requireNonNull(level, "level");
    if (code == null) {
      throw new InvalidIdentifierException("area code is missing");
    }
    if (!level.pattern.matcher(code).matches()) {
      throw new InvalidIdentifierException(
          "area code at level " + level + " must match " + level.pattern.pattern());
    }
  }

  /**
   * Parses a CBS area code; the level follows from the prefix (GM, WK, BU). Lower case is
   * accepted and normalised.
   *
   * @throws InvalidIdentifierException if the code matches none of the three patterns
   */
  public static AreaCode parse(String text) {
    if (text == null) {
      throw new InvalidIdentifierException("area code is missing");
    }
    String code = Ascii.toUpper(text);
    for (Level level : Level.values()) {
      if (code.startsWith(level.prefix)) {
        return new AreaCode(level, code);
      }
    }
    throw new InvalidIdentifierException(
        "area code must start with GM (gemeente), WK (wijk) or BU (buurt)");
  }

  /** The four-digit CBS municipality code the area lies in, e.g. "0344" for Utrecht. */
  public String municipalityCode() {
    return code.substring(2, 6);
  }
}
