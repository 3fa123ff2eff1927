package nl.schakel.trust.identifier;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dutch postal address as PostNL and the BAG key it: postcode, house number, optional house
 * letter and optional addition (huisnummertoevoeging). Street and city are implied by the
 * postcode and number, so they are not part of the identifier.
 *
 * <p>The constructor normalises (postcode without spaces, letter and addition upper case) and
 * then validates, so every instance is canonical.
 *
 * @param postcode four digits (first not zero) and two letters, e.g. "3511AB"
 * @param houseNumber 1 to 99999
 * @param houseLetter one letter A-Z, or "" when absent
 * @param addition one to four letters or digits, or "" when absent
 */
public record PostalAddress(String postcode, int houseNumber, String houseLetter, String addition)
    implements Identifier {

  static final int MAX_HOUSE_NUMBER = 99_999;
  private static final Pattern POSTCODE = Pattern.compile("^[1-9][0-9]{3}[A-Z]{2}$");
  private static final Pattern ADDITION = Pattern.compile("^[0-9A-Z]{1,4}$");

  /**
   * The compact form: postcode (optionally with one space inside), a space, the number, an
   * optional letter and an optional "-addition". The number has no leading zeros, so "12" and
   * "012" cannot both denote one address. Deliberately loose on lengths so that the
   * component checks in the constructor can say precisely which part is wrong.
   */
  private static final Pattern COMPACT =
      Pattern.compile("^([0-9A-Za-z]{4} ?[0-9A-Za-z]{2}) (0|[1-9][0-9]{0,5})([A-Za-z]?)(?:-([0-9A-Za-z]+))?$");

  public PostalAddress {
    if (postcode == null || houseLetter == null || addition == null) {
      throw new InvalidIdentifierException(
          "postal address needs a postcode, a house letter and an addition; use \"\" for an absent letter or addition");
    }
    postcode = Ascii.toUpper(Ascii.withoutSpaces(postcode));
    houseLetter = Ascii.toUpper(houseLetter);
    addition = Ascii.toUpper(addition);
    if (!POSTCODE.matcher(postcode).matches()) {
      throw new InvalidIdentifierException("postcode must match ^[1-9][0-9]{3}[A-Z]{2}$");
    }
    if (houseNumber < 1 || houseNumber > MAX_HOUSE_NUMBER) {
      throw new InvalidIdentifierException(
          "house number must be between 1 and " + MAX_HOUSE_NUMBER);
    }
    if (!houseLetter.isEmpty()
        && !(houseLetter.length() == 1 && Ascii.isUpperLetter(houseLetter.charAt(0)))) {
      throw new InvalidIdentifierException("house letter must be one letter A-Z, or empty");
    }
    if (!addition.isEmpty() && !ADDITION.matcher(addition).matches()) {
      throw new InvalidIdentifierException(
          "house number addition must match ^[0-9A-Z]{1,4}$, or be empty");
    }
  }

  /**
   * Builds an address from its parts, normalising case and postcode spaces. Pass "" for an
   * absent letter or addition.
   *
   * @throws InvalidIdentifierException naming the part that is wrong, never its value
   */
  public static PostalAddress of(
      String postcode, int houseNumber, String houseLetter, String addition) {
    return new PostalAddress(postcode, houseNumber, houseLetter, addition);
  }

  /**
   * Parses the compact form used in CSV files and the API: "3511AB 12", "3511AB 12A",
   * "3511AB 12-2", "3511AB 12A-2"; also "3511 AB 12A-2" and lower case.
   *
   * @throws InvalidIdentifierException naming the part that is wrong, never its value
   */
  public static PostalAddress parse(String compact) {
    if (compact == null) {
      throw new InvalidIdentifierException("postal address is missing");
    }
    Matcher m = COMPACT.matcher(compact);
    if (!m.matches()) {
      throw new InvalidIdentifierException(
          "postal address must look like \"1234AB 5\", \"1234AB 5C\", \"1234AB 5-6\" or"
              + " \"1234AB 5C-6\" (postcode, space, house number, optional letter,"
              + " optional \"-addition\")");
    }
    String addition = m.group(4) == null ? "" : m.group(4);
    return new PostalAddress(m.group(1), Integer.parseInt(m.group(2)), m.group(3), addition);
  }

  @Override
  public IdentifierForm form() {
    return IdentifierForm.POSTAL_ADDRESS;
  }

  /**
   * The compact form "3511AB 12A-2": unambiguous, because the letter is a single letter glued
   * to the number and the addition always follows a hyphen.
   */
  @Override
  public String canonical() {
    return postcode + " " + houseNumber + houseLetter + (addition.isEmpty() ? "" : "-" + addition);
  }

  @Override
  public String toString() {
    return "PostalAddress[redacted]";
  }
}
