package nl.schakel.node;

import nl.schakel.covenant.Disclosure;
import nl.schakel.proto.v1.Band;
import nl.schakel.proto.v1.Count;

/**
 * A rule's {@code disclosure: {min, round}} with cell-key perturbation (COVENANT.md "Counts").
 *
 * <ol>
 *   <li>A raw count below {@code min} (and zero under {@code zero: suppress}) is shown as
 *       {@code "<min"} with band [0, min-1], decided on the raw count so that band is always true.
 *   <li>Otherwise noise from the p-table below is added, chosen by the count's cell key: the same
 *       records give the same noise, so asking again returns the identical answer and averaging
 *       repeated answers learns nothing.
 *   <li>The perturbed value is rounded to the nearest multiple of {@code round}, and never shown
 *       below the smallest multiple of {@code round} that is at least {@code min}.
 * </ol>
 *
 * <p>Two overlapping counts (a cell with and without one category) have independent-looking noise
 * because their record sets, hence cell keys, differ; their released difference is a multiple of
 * {@code round} blurred by both noises, so a small difference cannot be read off.
 */
final class CellKeyDisclosure {
  /** Noise values of the p-table, from -2 to +2. */
  static final int[] NOISE = {-2, -1, 0, 1, 2};
  /**
   * Each noise value's probability, in units of 1/5: uniform. With {@code round: 5}, uniform noise
   * over five consecutive values makes rounding unbiased: the expected released value is the raw
   * count (above the min floor), while any single answer is off by up to 4.
   */
  static final int[] WEIGHT = {1, 1, 1, 1, 1};
  private static final int TOTAL_WEIGHT = 5;

  private CellKeyDisclosure() {}

  static Count release(Tally tally, Disclosure.MinRound rule) {
    long raw = tally.count();
    if (rule.suppresses(raw)) {
      return Count.newBuilder()
          .setBand(Band.newBuilder().setLow(0).setHigh(rule.min() - 1L))
          .setDisplay(rule.suppressedDisplay())
          .build();
    }
    if (raw == 0) {
      // zero: show. An empty cell has no records to key noise on, and the convenant chose to show it.
      return Count.newBuilder().setValue(0).setDisplay("0").build();
    }
    long perturbed = Math.max(0, raw + noise(tally.cellKey()));
    long released = Math.max(floor(rule), nearestMultiple(perturbed, rule.round()));
    return Count.newBuilder().setValue(released).setDisplay(Long.toString(released)).build();
  }

  /** The p-table lookup: the cell key as a fraction u of 2^32 falls in one value's share of [0, 1). */
  static int noise(int cellKey) {
    long slot = (Integer.toUnsignedLong(cellKey) * TOTAL_WEIGHT) >>> 32; // 0 .. TOTAL_WEIGHT-1
    int cumulative = 0;
    for (int i = 0; i < NOISE.length; i++) {
      cumulative += WEIGHT[i];
      if (slot < cumulative) {
        return NOISE[i];
      }
    }
    throw new AssertionError("slot " + slot + " beyond the p-table's total weight " + TOTAL_WEIGHT);
  }

  /** Half rounds up: 15 becomes 20 with round 10. */
  static long nearestMultiple(long value, int round) {
    return (value + round / 2) / round * round;
  }

  /** The smallest multiple of {@code round} that is at least {@code min}: the least value ever shown. */
  private static long floor(Disclosure.MinRound rule) {
    return (rule.min() + rule.round() - 1L) / rule.round() * rule.round();
  }
}
