package nl.schakel.node;

import java.util.regex.Pattern;

/**
 * Masks what could be a citizen identifier in text that came from outside the node: a database
 * error may quote the value it choked on ({@code invalid input syntax: "999990019"}), and such a
 * message goes to the log and the refresh status (principle 6).
 */
final class Redaction {
  /** BSN, RSIN (9), KvK (8), vestigingsnummer (12) and BAG id (16) are all runs of 6+ digits; postcodes too. */
  private static final Pattern IDENTIFIER_LIKE =
      Pattern.compile("[0-9]{6,}|\\b[1-9][0-9]{3} ?[A-Za-z]{2}\\b");

  private Redaction() {}

  static String identifiers(String text) {
    return IDENTIFIER_LIKE.matcher(text).replaceAll("***");
  }
}
