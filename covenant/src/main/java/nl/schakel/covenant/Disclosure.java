package nl.schakel.covenant;

import java.util.List;
import java.util.Optional;

/**
 * Disclosure control on a count rule: how a count may be shown. The record-dependent part
 * (cell-key perturbation before rounding) belongs to the node; this type fixes what the
 * convenant says.
 */
public sealed interface Disclosure permits Disclosure.Bands, Disclosure.MinRound {

  /**
   * Report a band instead of the count. {@code [0, 1, 3, 6]} reports "0", "1-2", "3-5", "6+".
   *
   * @param lowerBounds strictly increasing, starting at 0, at least two
   */
  record Bands(List<Integer> lowerBounds) implements Disclosure {
    public Bands {
      lowerBounds = List.copyOf(lowerBounds);
      if (lowerBounds.size() < 2 || lowerBounds.get(0) != 0) {
        throw new IllegalArgumentException("bands need at least two bounds, starting at 0");
      }
      for (int i = 1; i < lowerBounds.size(); i++) {
        if (lowerBounds.get(i) <= lowerBounds.get(i - 1)) {
          throw new IllegalArgumentException("band bounds must be strictly increasing");
        }
      }
    }

    /**
     * The band a count falls in.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public Band bandFor(long count) {
      if (count < 0) {
        throw new IllegalArgumentException("a count is never negative, found " + count);
      }
      int i = lowerBounds.size() - 1;
      while (lowerBounds.get(i) > count) {
        i--;
      }
      long lower = lowerBounds.get(i);
      if (i == lowerBounds.size() - 1) {
        return new Band(lower, Optional.empty(), lower + "+");
      }
      long upper = lowerBounds.get(i + 1) - 1L;
      String display = lower == upper ? Long.toString(lower) : lower + "-" + upper;
      return new Band(lower, Optional.of(upper), display);
    }
  }

  /**
   * One band of a {@link Bands} disclosure, as the API shows it: {@code {"display": "3-5",
   * "band": [3, 5]}}, the top band {@code [6, null]} as {@code "6+"}.
   *
   * @param lower inclusive lower bound
   * @param upper inclusive upper bound; empty for the open top band
   * @param display the text shown
   */
  record Band(long lower, Optional<Long> upper, String display) {}

  /**
   * Small-number suppression and rounding: a count below {@code min} shows as {@code "<min"};
   * otherwise it is perturbed with cell-key noise and rounded to the nearest multiple of {@code
   * round}. Zero shows as "0", or as {@code "<min"} too when {@code suppressZero}.
   *
   * @param min at least 1
   * @param round at least 1
   * @param suppressZero {@code zero: suppress} in the convenant
   */
  record MinRound(int min, int round, boolean suppressZero) implements Disclosure {
    public MinRound {
      if (min < 1 || round < 1) {
        throw new IllegalArgumentException("min and round must be at least 1");
      }
    }

    /** Whether this raw count must be shown as {@link #suppressedDisplay()}. */
    public boolean suppresses(long rawCount) {
      return rawCount == 0 ? suppressZero : rawCount < min;
    }

    /** {@code "<5"} for min 5. */
    public String suppressedDisplay() {
      return "<" + min;
    }
  }
}
