package nl.schakel.gateway;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.Identifier;
import nl.schakel.trust.identifier.KvkNumber;
import nl.schakel.trust.identifier.PostalAddress;

/**
 * Notices an analyst walking through identifiers in numeric order — BSNs, BAG ids or KvK numbers
 * close to each other — which no case needs and which is how a register is enumerated one "do you
 * know?" at a time (issue 6, item 5). Only the gateway can see this: nodes receive pseudonyms,
 * whose order says nothing.
 *
 * <p>Principle 6 holds: the watch keeps no identifier, not even a pseudonym nodes could match. It
 * keeps, per analyst and for at most {@code window}, an HMAC of the identifier and an HMAC of its
 * numeric neighbourhood (the value divided by {@link #BUCKET_WIDTH}), under a key drawn at start
 * and never written anywhere. A question is <em>sequential</em> when, counting itself, the
 * analyst asked at least {@code threshold} distinct identifiers of the same form within the
 * window whose neighbourhood is this one's or an adjacent one.
 *
 * <p>Postal addresses are not watched: house numbers on one street are legitimately asked
 * together (a building, a block), and a BAG id already covers address enumeration.
 */
final class SequenceWatch {
  /**
   * The width of a neighbourhood. About one BSN in eleven is valid, so a neighbourhood of BSNs
   * holds about 90 valid numbers; three adjacent ones span 3,000 values.
   */
  static final long BUCKET_WIDTH = 1_000;
  /** Bounds the memory per analyst whatever the window: the oldest observations go first. */
  static final int MAX_OBSERVATIONS_PER_ANALYST = 10_000;
  /** How many questions pass between sweeps of idle analysts: cheap, and bounded memory. */
  static final int SWEEP_EVERY = 1_024;

  /** What the gateway does with a sequential question. */
  enum Action {
    /** Answer it, and mark its audit entries {@code sequential-identifiers}. */
    FLAG,
    /** Refuse it (and log the refusal, marked). */
    REFUSE
  }

  /** The configuration: {@code threshold} distinct identifiers within {@code window}. */
  record Settings(int threshold, Duration window, Action action) {
    static final Settings DEFAULTS = new Settings(5, Duration.ofHours(1), Action.FLAG);

    Settings {
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(action, "action");
      if (threshold < 2) {
        throw new IllegalArgumentException("sequential-identifiers.threshold must be at least 2, found " + threshold);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("sequential-identifiers.window must be positive, found " + window);
      }
    }
  }

  /** One question: when, and the keyed hashes of its identifier and its neighbourhood. */
  private record Observation(Instant at, long neighbourhood, long identifier) {}

  /**
   * One analyst's questions within the window, oldest first, and per neighbourhood how often each
   * identifier was asked: a question is then checked in constant time, not by a scan of the
   * window (a busy analyst may ask thousands of questions an hour).
   */
  private static final class Window {
    final ArrayDeque<Observation> order = new ArrayDeque<>();
    final Map<Long, Map<Long, Integer>> byNeighbourhood = new HashMap<>();

    void add(Observation o) {
      order.addLast(o);
      byNeighbourhood.computeIfAbsent(o.neighbourhood(), k -> new HashMap<>()).merge(o.identifier(), 1, Integer::sum);
    }

    void dropOldest() {
      Observation o = order.pollFirst();
      Map<Long, Integer> ids = byNeighbourhood.get(o.neighbourhood());
      if (ids.merge(o.identifier(), -1, Integer::sum) == 0) {
        ids.remove(o.identifier());
        if (ids.isEmpty()) {
          byNeighbourhood.remove(o.neighbourhood());
        }
      }
    }

    int distinctIn(long neighbourhood) {
      Map<Long, Integer> ids = byNeighbourhood.get(neighbourhood);
      return ids == null ? 0 : ids.size();
    }

    boolean contains(long neighbourhood, long identifier) {
      Map<Long, Integer> ids = byNeighbourhood.get(neighbourhood);
      return ids != null && ids.containsKey(identifier);
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final Mac hmac;
  private final Map<String, Window> byAnalyst = new HashMap<>();
  /** Questions since the last sweep of analysts who stopped asking. */
  private int sinceSweep;

  SequenceWatch(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }

  Settings settings() {
    return settings;
  }

  /** How many analysts the watch holds questions of: for tests of its memory bound. */
  synchronized int analystsWatched() {
    return byAnalyst.size();
  }

  /**
   * Records that {@code party/person} asks about {@code identifier} now, and returns whether this
   * question is sequential. Every question counts, also the ones that are then refused: an
   * enumeration is not excused by being refused.
   */
  synchronized boolean observe(String party, String person, Identifier identifier) {
    long value = numericValue(identifier);
    if (value < 0) {
      return false;
    }
    Instant now = clock.instant();
    String form = identifier.form().name();
    long bucket = value / BUCKET_WIDTH;
    Instant horizon = now.minus(settings.window());
    if (++sinceSweep >= SWEEP_EVERY) {
      sinceSweep = 0;
      // Analysts who asked nothing within the window are forgotten, so memory follows who is
      // asking now, not everyone who ever asked.
      byAnalyst.values().removeIf(w -> w.order.isEmpty() || !w.order.peekLast().at().isAfter(horizon));
    }
    Window window = byAnalyst.computeIfAbsent(party + "\n" + person, k -> new Window());
    while (!window.order.isEmpty()
        && (!window.order.peekFirst().at().isAfter(horizon) || window.order.size() >= MAX_OBSERVATIONS_PER_ANALYST)) {
      window.dropOldest();
    }
    long me = mac("id\n" + form + "\n" + value);
    long here = mac("bucket\n" + form + "\n" + bucket);
    long below = mac("bucket\n" + form + "\n" + (bucket - 1));
    long above = mac("bucket\n" + form + "\n" + (bucket + 1));
    // An identifier lives in one neighbourhood, so distinct counts of the three add up.
    int near = window.distinctIn(below) + window.distinctIn(here) + window.distinctIn(above)
        + (window.contains(here, me) ? 0 : 1);
    window.add(new Observation(now, here, me));
    return near >= settings.threshold();
  }

  /** The value whose order an enumeration follows; -1 for forms that are not watched. */
  private static long numericValue(Identifier identifier) {
    if (identifier instanceof Bsn || identifier instanceof KvkNumber || identifier instanceof BagId) {
      return Long.parseLong(identifier.canonical());
    }
    if (identifier instanceof PostalAddress) {
      return -1;
    }
    throw new IllegalStateException("unknown identifier form " + identifier.form());
  }

  /** 64 bits of HMAC-SHA256 under the watch's own key: enough to tell identifiers apart, useless outside. */
  private long mac(String text) {
    byte[] h = hmac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.nio.ByteBuffer.wrap(h).getLong();
  }
}
