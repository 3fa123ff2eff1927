package nl.schakel.node;

import nl.schakel.proto.v1.Band;
import nl.schakel.proto.v1.Count;

/**
 * Disclosure control on counts, applied at the node so no raw small count ever leaves it
 * (principle 1). The conservative default for a count rule whose convenant states no
 * {@code disclosure} (the format allows that and calls it raw counts; a node does not release raw
 * counts): below {@link #MIN} the node says only "&lt;5"; otherwise it rounds to a multiple of
 * {@link #ROUND}.
 */
final class CountRelease {
  static final int MIN = 5;
  static final int ROUND = 5;

  private CountRelease() {}

  static Count release(long raw) {
    if (raw < MIN) {
      return Count.newBuilder()
          .setBand(Band.newBuilder().setLow(0).setHigh(MIN - 1))
          .setDisplay("<" + MIN)
          .build();
    }
    long rounded = Math.max(MIN, Math.round(raw / (double) ROUND) * ROUND);
    return Count.newBuilder().setValue(rounded).setDisplay(Long.toString(rounded)).build();
  }
}
