package nl.schakel.covenant;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 8785 JSON Canonicalization Scheme for the values a convenant projection holds: objects,
 * arrays, strings, booleans and integers. No floating point: every number in the projection is an
 * integer within ±2^53, whose ECMAScript form is its plain decimal digits (RFC 8785 §3.2.2.3).
 */
final class Jcs {
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private Jcs() {}

  /**
   * The canonical text of {@code value}: {@code Map<String, ?>} (object), {@code List<?>}
   * (array), {@code String}, {@code Boolean}, {@code Integer} or {@code Long}.
   *
   * @throws IllegalArgumentException for any other type or an integer beyond ±2^53
   */
  static String serialize(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      // RFC 8785 §3.2.3: members sorted by their names as arrays of UTF-16 code units, which
      // is exactly String.compareTo.
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put((String) k, v));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      if (Math.abs(n) > MAX_SAFE_INTEGER) {
        throw new IllegalArgumentException("integer beyond 2^53 has no exact JSON form: " + n);
      }
      out.append(n);
    } else {
      throw new IllegalArgumentException(
          "no JCS form for " + (value == null ? "null" : value.getClass().getName()));
    }
  }

  /** RFC 8785 §3.2.2.2: JSON.stringify's escaping, everything else literal. */
  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            // RFC 8785 §3.1: input must be I-JSON, which has no lone surrogates.
            throw new IllegalArgumentException("string holds an unpaired surrogate");
          } else if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
