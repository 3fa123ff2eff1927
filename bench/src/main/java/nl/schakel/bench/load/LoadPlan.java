package nl.schakel.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * One measured phase: how hard to push and for how long.
 *
 * @param name shown in the report, e.g. {@code schakel-20qps}
 * @param pace a fixed arrival rate (open loop) or as fast as a fixed number of callers can go
 * @param duration how long questions are sent; outstanding answers are still awaited afterwards
 */
public record LoadPlan(String name, Pace pace, Duration duration) {

  public LoadPlan {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pace, "pace");
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, found " + duration);
    }
  }

  public static LoadPlan fixedRate(String name, double perSecond, Duration duration) {
    return new LoadPlan(name, new Pace.FixedRate(perSecond), duration);
  }

  public static LoadPlan maxThroughput(String name, int concurrency, Duration duration) {
    return new LoadPlan(name, new Pace.Max(concurrency), duration);
  }

  /** How questions arrive. */
  public sealed interface Pace {
    /**
     * Open loop: question {@code i} is due at {@code start + i / perSecond} whether or not earlier
     * ones were answered, and its latency counts from that due time, so a stalled server shows up
     * as queueing delay instead of silently lowering the rate (coordinated omission).
     */
    record FixedRate(double perSecond) implements Pace {
      public FixedRate {
        if (!(perSecond > 0) || perSecond > 100_000) {
          throw new IllegalArgumentException("rate must be in (0, 100000] questions/s, found " + perSecond);
        }
      }
    }

    /**
     * Closed loop: {@code concurrency} callers each send the next question as soon as the last is
     * answered. Measures capacity; latency then counts from the actual send.
     */
    record Max(int concurrency) implements Pace {
      public Max {
        if (concurrency < 1 || concurrency > 4096) {
          throw new IllegalArgumentException("concurrency must be 1..4096, found " + concurrency);
        }
      }
    }
  }
}
