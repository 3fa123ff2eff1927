package nl.schakel.gateway;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

  private record Observation(Instant at, String form, long bucket, String identifier) {}

  private final Settings settings;
  private final Clock clock;
  private final byte[] key = new byte[32];
  private final Map<String, Deque<Observation>> byAnalyst = new HashMap<>();

  SequenceWatch(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    new SecureRandom().nextBytes(key);
  }

  Settings settings() {
    return settings;
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
    Deque<Observation> seen = byAnalyst.computeIfAbsent(party + "\n" + person, k -> new ArrayDeque<>());
    Instant horizon = now.minus(settings.window());
    while (!seen.isEmpty() && !seen.peekFirst().at().isAfter(horizon)) {
      seen.pollFirst();
    }
    while (seen.size() >= MAX_OBSERVATIONS_PER_ANALYST) {
      seen.pollFirst();
    }
    String me = mac("id\n" + form + "\n" + value);
    Set<String> near = new HashSet<>();
    near.add(me);
    Set<Long> neighbourhoods = Set.of(mac(form, bucket - 1), mac(form, bucket), mac(form, bucket + 1));
    for (Observation o : seen) {
      if (o.form().equals(form) && neighbourhoods.contains(o.bucket())) {
        near.add(o.identifier());
      }
    }
    seen.addLast(new Observation(now, form, mac(form, bucket), me));
    return near.size() >= settings.threshold();
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

  private long mac(String form, long bucket) {
    String m = mac("bucket\n" + form + "\n" + bucket);
    return Long.parseUnsignedLong(m.substring(0, 15), 16);
  }

  private String mac(String text) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(hmac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }
}
