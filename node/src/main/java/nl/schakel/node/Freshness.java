package nl.schakel.node;

import java.time.Clock;
import java.time.Duration;
import nl.schakel.proto.v1.Question;

/**
 * Whether a question is fresh by this node's own clock. The issue instant matters beyond expiry:
 * the convenant is evaluated on the issue day and lookback counts back from it, so a gateway that
 * back-dated a question could reach records outside the window or a convenant no longer in force.
 * Bounding the age of the issue instant bounds that to {@link #MAX_AGE}.
 */
final class Freshness {
  /** The gateway gives questions 30 s; analyst tokens that travel along live at most 5 minutes. */
  static final Duration MAX_AGE = Duration.ofMinutes(5);
  /** Clocks of gateway and node disagree a little; more than this is not a clock, it is a lie. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(30);

  private final String party;
  private final Clock clock;

  Freshness(String party, Clock clock) {
    this.party = party;
    this.clock = clock;
  }

  void check(Question q) throws Refused {
    long now = clock.millis();
    if (q.getExpiresAtEpochMs() <= now) {
      throw new Refused("question-expired", "The question expired before it reached " + party);
    }
    if (q.getIssuedAtEpochMs() < now - MAX_AGE.toMillis()) {
      throw new Refused("question-expired",
          "The question was issued more than " + MAX_AGE.toMinutes() + " minutes before it reached " + party);
    }
    if (q.getIssuedAtEpochMs() > now + MAX_CLOCK_SKEW.toMillis()) {
      throw new Refused("question-not-yet-valid", "The question claims to be issued more than "
          + MAX_CLOCK_SKEW.toSeconds() + " s after " + party + "'s current time; check the gateway's clock");
    }
  }
}
