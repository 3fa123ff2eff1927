package nl.schakel.node;

/**
 * JDBC URLs as they may appear in messages: drivers accept credentials in the URL
 * ({@code ?password=...}, {@code user:pw@host}, Oracle's {@code user/pw@host}), so only the
 * scheme and the host part are ever shown.
 */
final class JdbcUrls {
  private JdbcUrls() {}

  /** {@code jdbc:postgresql://db:5432/records?password=x} → {@code jdbc:postgresql://db:5432/records}. */
  static String redacted(String url) {
    String cut = url;
    for (char c : new char[] {'?', ';', '&'}) {
      int i = cut.indexOf(c);
      if (i >= 0) {
        cut = cut.substring(0, i);
      }
    }
    int at = cut.lastIndexOf('@');
    if (at >= 0) {
      int start = cut.indexOf("//");
      int colon = cut.indexOf(':', 5);
      int from = start >= 0 && start < at ? start + 2 : colon + 1;
      cut = cut.substring(0, from) + "***" + cut.substring(at);
    }
    return cut;
  }

  /** The part naming the driver, e.g. {@code jdbc:postgresql:} or {@code jdbc:oracle:}. */
  static String scheme(String url) {
    int second = url.indexOf(':', "jdbc:".length());
    return second < 0 ? redacted(url) : url.substring(0, second + 1);
  }
}
