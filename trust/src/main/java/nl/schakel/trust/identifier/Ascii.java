package nl.schakel.trust.identifier;

/**
 * ASCII-only character tests. {@link Character#isDigit} and {@link String#toUpperCase} accept
 * or produce non-ASCII look-alikes (Arabic-Indic digits, dotless i becoming "I"), which would let
 * two different strings denote one identifier; validation therefore never uses them.
 */
final class Ascii {

  private Ascii() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isUpperLetter(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isAllDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Maps a-z to A-Z and leaves every other character, including non-ASCII letters, alone. */
  static String toUpper(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'a' && chars[i] <= 'z') {
        chars[i] = (char) (chars[i] - ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** Removes ASCII spaces only; other whitespace stays and fails validation. */
  static String withoutSpaces(String s) {
    return s.replace(" ", "");
  }

  /** Describes a rejected value's shape without revealing any of its characters. */
  static String describe(String text) {
    if (text.isEmpty()) {
      return "an empty string";
    }
    if (text.isBlank()) {
      return "only whitespace";
    }
    int length = text.codePointCount(0, text.length());
    if (Ascii.isAllDigits(text)) {
      return length + " digits";
    }
    return length + " characters, not all of them ASCII digits";
  }
}
