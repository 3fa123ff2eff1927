package nl.schakel.trust.pki;

import java.util.regex.Pattern;

/** Party ids as certificates carry them: SAN URI {@code urn:schakel:party:<id>}. */
final class PartyId {

  static final String URI_PREFIX = "urn:schakel:party:";

  /** The convenant's party id form; also keeps party directory names inside the PKI directory. */
  private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private PartyId() {}

  static boolean isValid(String id) {
    return id != null && FORM.matcher(id).matches();
  }

  /**
   * @throws IllegalArgumentException unless {@code id} has the party id form; {@code what} names
   *     the value in the message ("party", "federation")
   */
  static String require(String id, String what) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          what + " must be 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit, found "
              + (id == null ? "none" : "'" + printable(id) + "'"));
    }
    return id;
  }

  static String uri(String id) {
    return URI_PREFIX + id;
  }

  /** A value from a certificate or the command line, safe to put in a message or log line. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 80; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > 80 ? out + "..." : out.toString();
  }
}
