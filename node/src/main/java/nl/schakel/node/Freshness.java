package nl.schakel.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import nl.schakel.proto.v1.Question;

/**
 * Whether a question is fresh by this node's own clock, and new to it. The issue instant matters
 * beyond expiry: the convenant is evaluated on the issue day and lookback counts back from it, so
 * a gateway that back-dated a question could reach records outside the window or a convenant no
 * longer in force. Bounding the age of the issue instant bounds that to the freshness window.
 *
 * <p>Replays: a question id is remembered from the moment it is accepted for as long as the
 * question could still pass the age check (window plus twice the skew), so a captured signed
 * question cannot be asked twice. The memory is bounded ({@link #MAX_REMEMBERED}); a node started
 * again forgets, which is why questions issued before this node started are refused outright.
 */
final class Freshness {
  /** Clocks of gateway and node disagree a little; more than this is not a clock, it is a lie. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
  /**
   * Question ids held at most. At 30 s + 10 s this is 5,000 questions per second per node, far
   * above any partner's load; beyond it the oldest ids go first, a residual risk in docs/security.md.
   */
  static final long MAX_REMEMBERED = 200_000;

  private final String party;
  private final Clock clock;
  private final Duration window;
  private final Instant started;
  private final Cache<String, Boolean> seen;

  Freshness(String party, Clock clock, Duration window, Instant started) {
    this.party = party;
    this.clock = clock;
    this.window = window;
    this.started = started;
    this.seen = Caffeine.newBuilder()
        .expireAfterWrite(window.plus(CLOCK_SKEW).plus(CLOCK_SKEW))
        .maximumSize(MAX_REMEMBERED)
        // Expiry follows the node's clock, so tests and a node's notion of "fresh" agree.
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .build();
  }

  void check(Question q) throws Refused {
    long now = clock.millis();
    if (q.getExpiresAtEpochMs() <= now) {
      throw new Refused("question-expired", "The question expired before it reached " + party);
    }
    if (q.getIssuedAtEpochMs() < now - window.plus(CLOCK_SKEW).toMillis()) {
      throw new Refused("question-expired",
          "The question was issued more than " + window.toSeconds() + " s before it reached " + party);
    }
    if (q.getIssuedAtEpochMs() > now + CLOCK_SKEW.toMillis()) {
      throw new Refused("question-not-yet-valid", "The question claims to be issued more than "
          + CLOCK_SKEW.toSeconds() + " s after " + party + "'s current time; check the gateway's clock");
    }
    if (seen.asMap().putIfAbsent(q.getQuestionId(), Boolean.TRUE) != null) {
      throw new Refused("question-replayed", party + " has already received a question with this id");
    }
    if (q.getIssuedAtEpochMs() < started.toEpochMilli()) {
      throw new Refused("question-before-node-start",
          "The question was issued before " + party + " started at " + started
              + "; a node remembers question ids only since its start");
    }
  }
}
