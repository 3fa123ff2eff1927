package nl.schakel.trust.jwt;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the few small documents credential checking reads: JOSE headers,
 * JWT claim sets and JWK sets. Objects become {@code Map<String, Object>}, arrays {@code
 * List<Object>}, strings {@code String}, numbers {@code BigDecimal}, {@code true}/{@code false}
 * {@code Boolean}, and {@code null} {@link #NULL}.
 *
 * <p>Stricter than most libraries on purpose: a duplicate member name is an error (RFC 7515
 * section 5.2 lets a JWS parser reject them, and a second {@code "org"} that one library reads and
 * another ignores is how parser differentials become privilege escalations), as are lone
 * surrogates, trailing content and nesting beyond {@value #MAX_DEPTH}. Hand-written because trust
 * has no JSON library and these documents are a few hundred bytes.
 */
final class JsonReader {

  /** JSON {@code null}, distinct from a missing member. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  static final int MAX_DEPTH = 16;

  /** A JSON document that is not valid, or not within this reader's limits. */
  static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }
  }

  private final String text;
  private int pos;

  private JsonReader(String text) {
    this.text = text;
  }

  /**
   * The object {@code text} holds.
   *
   * @throws MalformedJsonException if it is not exactly one JSON object; the message gives the
   *     offset and what was expected, never the content
   */
  static Map<String, Object> readObject(String text) throws MalformedJsonException {
    JsonReader reader = new JsonReader(text);
    reader.skipWhitespace();
    if (reader.peek() != '{') {
      throw reader.error("a JSON object");
    }
    Object value = reader.readValue(0);
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("the end of the document");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) value;
    return object;
  }

  private Object readValue(int depth) throws MalformedJsonException {
    if (depth > MAX_DEPTH) {
      throw new MalformedJsonException("JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    skipWhitespace();
    int c = peek();
    switch (c) {
      case '{':
        return readObjectValue(depth);
      case '[':
        return readArray(depth);
      case '"':
        return readString();
      case 't':
        expectWord("true");
        return Boolean.TRUE;
      case 'f':
        expectWord("false");
        return Boolean.FALSE;
      case 'n':
        expectWord("null");
        return NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return readNumber();
        }
        throw error("a JSON value");
    }
  }

  private Map<String, Object> readObjectValue(int depth) throws MalformedJsonException {
    pos++; // '{'
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("a member name in double quotes");
      }
      int nameAt = pos;
      String name = readString();
      skipWhitespace();
      expect(':');
      Object value = readValue(depth + 1);
      if (members.putIfAbsent(name, value) != null) {
        throw new MalformedJsonException(
            "duplicate member name at offset " + nameAt + ": each name may appear once");
      }
      skipWhitespace();
      int c = next();
      if (c == '}') {
        return Collections.unmodifiableMap(members);
      }
      if (c != ',') {
        pos--;
        throw error("',' or '}'");
      }
    }
  }

  private List<Object> readArray(int depth) throws MalformedJsonException {
    pos++; // '['
    List<Object> elements = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(elements);
    }
    while (true) {
      elements.add(readValue(depth + 1));
      skipWhitespace();
      int c = next();
      if (c == ']') {
        return Collections.unmodifiableList(elements);
      }
      if (c != ',') {
        pos--;
        throw error("',' or ']'");
      }
    }
  }

  private String readString() throws MalformedJsonException {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      int c = next();
      if (c == -1) {
        throw error("a closing '\"'");
      }
      if (c == '"') {
        break;
      }
      if (c < 0x20) {
        pos--;
        throw error("an escaped control character");
      }
      if (c == '\\') {
        int e = next();
        switch (e) {
          case '"' -> out.append('"');
          case '\\' -> out.append('\\');
          case '/' -> out.append('/');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> out.append(readHex4());
          default -> {
            pos--;
            throw error("an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
          }
        }
      } else {
        out.append((char) c);
      }
    }
    String value = out.toString();
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (Character.isHighSurrogate(ch)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        throw new MalformedJsonException(
            "string ending before offset " + pos + " holds an unpaired surrogate");
      }
    }
    return value;
  }

  private char readHex4() throws MalformedJsonException {
    if (pos + 4 > text.length()) {
      throw error("four hex digits");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos + i), 16);
      if (digit < 0) {
        throw error("four hex digits");
      }
      value = value * 16 + digit;
    }
    pos += 4;
    return (char) value;
  }

  private BigDecimal readNumber() throws MalformedJsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (peek() >= '1' && peek() <= '9') {
      digits();
    } else {
      throw error("a digit");
    }
    if (peek() == '.') {
      pos++;
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("a digit after '.'");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("a digit in the exponent");
      }
      digits();
    }
    if (pos - start > 40) {
      throw new MalformedJsonException("number at offset " + start + " is longer than 40 characters");
    }
    return new BigDecimal(text.substring(start, pos));
  }

  private void digits() {
    while (peek() >= '0' && peek() <= '9') {
      pos++;
    }
  }

  private void expectWord(String word) throws MalformedJsonException {
    if (!text.startsWith(word, pos)) {
      throw error("'" + word + "'");
    }
    pos += word.length();
  }

  private void expect(char c) throws MalformedJsonException {
    if (peek() != c) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private int peek() {
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  private int next() {
    return pos < text.length() ? text.charAt(pos++) : -1;
  }

  private MalformedJsonException error(String expected) {
    String found =
        pos >= text.length() ? "the end of the document" : describe(text.charAt(pos));
    return new MalformedJsonException(
        "expected " + expected + " at offset " + pos + ", found " + found);
  }

  private static String describe(char c) {
    // Structural characters only: never a character of a member's value.
    return "{}[]:,\"".indexOf(c) >= 0 ? "'" + c + "'" : "another character";
  }
}
