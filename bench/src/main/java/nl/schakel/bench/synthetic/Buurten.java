package nl.schakel.bench.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * Forty made-up CBS buurt codes in Utrecht (gemeente 0344): ten wijken, as Utrecht has, of four
 * buurten each. Index 0 is {@link ScenarioAnchors#AREA}.
 */
final class Buurten {
  static final int WIJKEN = 10;
  static final int PER_WIJK = 4;
  static final List<String> CODES = build();

  private Buurten() {}

  static int count() {
    return CODES.size();
  }

  static int indexOf(String code) {
    int i = CODES.indexOf(code);
    if (i < 0) {
      throw new IllegalArgumentException("not one of the synthetic Utrecht buurten: " + code);
    }
    return i;
  }

  private static List<String> build() {
    var codes = new ArrayList<String>(WIJKEN * PER_WIJK);
    for (int wijk = 1; wijk <= WIJKEN; wijk++) {
      for (int buurt = 1; buurt <= PER_WIJK; buurt++) {
        codes.add(String.format("BU0344%02d%02d", wijk, buurt));
      }
    }
    return List.copyOf(codes);
  }
}
