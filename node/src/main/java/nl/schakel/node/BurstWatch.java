package nl.schakel.node;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags bursts of distinct subjects per analyst in the node's log: one analyst (asker party +
 * person) asking about more than {@code distinctSubjects} different subjects within {@code window}
 * looks like enumeration, even when every question is within budget. The node cannot tell a busy
 * case from a trawl, so it does not refuse: it marks the entry {@value #FLAG} for the partner's
 * auditor and logs a WARN naming the analyst (never a pseudonym).
 *
 * <p>Memory is bounded: per analyst at most {@code distinctSubjects + 1} subjects, each kept as the
 * first 64 bits of its pseudonym (already a keyed hash) with the last time it was asked; analysts
 * whose subjects all left the window are swept. That is enough to decide "more than
 * {@code distinctSubjects}" exactly.
 */
final class BurstWatch {
  private static final Logger log = LoggerFactory.getLogger(BurstWatch.class);
  static final String FLAG = "burst-distinct-subjects";
  /** node.yaml's default: more than 50 distinct subjects within ten minutes. */
  static final int DEFAULT_DISTINCT_SUBJECTS = 50;
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
  private static final int SWEEP_EVERY = 4096;

  private record Analyst(String party, String person) {}

  /** One analyst's recent subjects, least recently asked first, and when a WARN was last written. */
  private static final class Recent {
    final LinkedHashMap<Long, Instant> subjects = new LinkedHashMap<>(16, 0.75f, true);
    Instant warned = Instant.MIN;
  }

  private final String party;
  private final int distinctSubjects;
  private final Duration window;
  private final Map<Analyst, Recent> analysts = new HashMap<>();
  private int sinceSweep;

  BurstWatch(String party, int distinctSubjects, Duration window) {
    if (distinctSubjects < 1) {
      throw new IllegalArgumentException("burst.distinct-subjects must be at least 1, found " + distinctSubjects);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("burst.window must be positive, found " + window);
    }
    this.party = party;
    this.distinctSubjects = distinctSubjects;
    this.window = window;
  }

  /**
   * Records that {@code askerParty}/{@code person} asked about {@code pseudonym} at {@code at};
   * true when that analyst has now asked about more than the threshold of distinct subjects
   * within the window, this one included.
   */
  synchronized boolean observe(String askerParty, String person, ByteString pseudonym, Instant at) {
    Analyst who = new Analyst(askerParty, person);
    Recent recent = analysts.computeIfAbsent(who, a -> new Recent());
    forget(recent, at);
    recent.subjects.put(prefix(pseudonym), at);
    // Only "more than the threshold" matters: the least recently asked beyond threshold + 1 can go.
    Iterator<Long> oldest = recent.subjects.keySet().iterator();
    while (recent.subjects.size() > distinctSubjects + 1) {
      oldest.next();
      oldest.remove();
    }
    boolean burst = recent.subjects.size() > distinctSubjects;
    if (burst && !recent.warned.isAfter(at.minus(window))) {
      recent.warned = at;
      log.warn("party={} burst: asker party={} person={} asked about more than {} distinct subjects within {}",
          party, askerParty, person, distinctSubjects, window);
    }
    if (++sinceSweep >= SWEEP_EVERY) {
      sinceSweep = 0;
      analysts.values().removeIf(r -> {
        forget(r, at);
        return r.subjects.isEmpty();
      });
    }
    return burst;
  }

  /** How many analysts are remembered now: for the bound's test. */
  synchronized int analystsRemembered() {
    return analysts.size();
  }

  /** Drops subjects last asked at or before {@code at - window}: they are at the front (access order). */
  private void forget(Recent recent, Instant at) {
    Instant horizon = at.minus(window);
    Iterator<Map.Entry<Long, Instant>> it = recent.subjects.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().isAfter(horizon)) {
        break;
      }
      it.remove();
    }
  }

  /** A pseudonym is an HMAC output: its first 64 bits tell subjects apart as well as all 256 here. */
  private static long prefix(ByteString pseudonym) {
    long v = 0;
    for (int i = 0; i < Math.min(8, pseudonym.size()); i++) {
      v = (v << 8) | (pseudonym.byteAt(i) & 0xff);
    }
    return v;
  }
}
