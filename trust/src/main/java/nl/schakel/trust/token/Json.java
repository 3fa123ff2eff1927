package nl.schakel.trust.token;

/**
 * The few JSON values a JWT header and claim set need. trust has no JSON library, and adding one
 * for two flat objects would put a parser on every module's classpath.
 */
final class Json {

  private Json() {}

  /** {@code value} as a JSON string literal (RFC 8259 section 7). */
  static String string(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
