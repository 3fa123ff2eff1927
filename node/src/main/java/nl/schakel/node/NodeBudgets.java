package nl.schakel.node;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import nl.schakel.covenant.Limit;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The convenant's budgets against enumeration (COVENANT.md {@code limits}), enforced by the node
 * itself so that a compromised gateway, which skips its own budgets, still gets no more than the
 * convenant allows (ARCHITECTURE.md principle 2). The semantics are the gateway's: one unit per
 * question this node answers, charged to every limit whose purpose matches, counted per analyst
 * (asker party + person) or per asking party over a sliding window. A question refused for any
 * other reason is not charged.
 *
 * <p>There is no journal of its own: the node's audit log is one. Every answered question is in
 * it (time, asker, purpose, convenant id, outcome) before the answer leaves, so at start the
 * entries within the longest window are replayed ({@link #replay}). A question is charged in
 * memory, under one lock, before its entry is appended: two concurrent questions cannot both take
 * the last unit, and an answer that left was durably charged. A crash can forget a charge only for
 * a question whose answer never left.
 *
 * <p>Counters are keyed by (convenant id, limit purpose, per, window, who), not by {@code max} or
 * version, so a new version or a lowered {@code max} applies to charges already made, as at the
 * gateway. Each counter holds at most {@code max} instants (an exhausted limit charges nothing).
 */
final class NodeBudgets {
  private static final Logger log = LoggerFactory.getLogger(NodeBudgets.class);
  static final String EXHAUSTED = "budget-exhausted";
  /** Entries are appended in roughly time order; replay reads this much further back to be sure. */
  static final Duration REPLAY_SLACK = Duration.ofMinutes(1);
  /** Empty counters are swept after this many charges, so analysts long gone hold no memory. */
  private static final int SWEEP_EVERY = 4096;

  private record Counter(String covenantId, Optional<String> purpose, Limit.Per per, Duration window,
                         String party, String person) {}

  private final String party;
  private final Function<String, List<Limit>> limitsOf;
  private final Map<Counter, ArrayDeque<Instant>> counters = new HashMap<>();
  private int sinceSweep;

  /**
   * @param limitsOf the limits of the newest held version of a convenant id (empty for an id not
   *     held): what replayed entries are counted against
   */
  NodeBudgets(String party, Function<String, List<Limit>> limitsOf) {
    this.party = party;
    this.limitsOf = limitsOf;
  }

  /** The limits of the highest version of each convenant id among {@code copies}. */
  static Function<String, List<Limit>> newestLimits(CovenantCopies copies) {
    return id -> copies.all().stream().filter(c -> c.covenant().id().equals(id))
        .max(java.util.Comparator.comparingInt(c -> c.covenant().version()))
        .map(c -> c.covenant().limits()).orElse(List.of());
  }

  /** The longest window of any limit of {@code copies}: how far back replay must read. */
  static Duration longestWindow(CovenantCopies copies) {
    return copies.all().stream().flatMap(c -> c.covenant().limits().stream()).map(Limit::window)
        .max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /**
   * Rebuilds the counters from the node's log: entries {@code [0, size)}, read newest first until
   * one is older than {@code longest} (+ {@link #REPLAY_SLACK}) before {@code now}. Only answered
   * questions count (hit, no-hit, count), as only those were charged. Blocking: call at start.
   */
  void replay(long size, LongFunction<byte[]> entry, Duration longest, Instant now) {
    if (longest.isZero()) {
      return;
    }
    Instant horizon = now.minus(longest).minus(REPLAY_SLACK);
    ArrayDeque<NodeLogEntry> answered = new ArrayDeque<>();
    long read = 0;
    for (long i = size - 1; i >= 0; i--) {
      NodeLogEntry e;
      try {
        e = NodeLogEntry.parseFrom(entry.apply(i));
      } catch (InvalidProtocolBufferException ex) {
        // The log verifies as a Merkle tree; an entry that is no NodeLogEntry was never charged.
        log.warn("party={} budget replay: log entry {} is not a NodeLogEntry, skipped", party, i);
        continue;
      }
      read++;
      if (Instant.ofEpochMilli(e.getTimeEpochMs()).isBefore(horizon)) {
        break;
      }
      if (charged(e)) {
        answered.addFirst(e);
      }
    }
    synchronized (this) {
      for (NodeLogEntry e : answered) {
        Instant at = Instant.ofEpochMilli(e.getTimeEpochMs());
        for (Limit limit : matching(limitsOf.apply(e.getCovenantId()), e.getPurpose())) {
          if (at.plus(limit.window()).isAfter(now)) {
            counter(e.getCovenantId(), limit, e.getAskerParty(), e.getAskerPerson()).addLast(at);
          }
        }
      }
    }
    log.info("party={} budgets replayed from its log: {} entries read, {} answered questions within {}", party, read,
        answered.size(), longest);
  }

  /** Whether an entry of the node's log was charged: an answered question, not a refusal or rejection. */
  static boolean charged(NodeLogEntry e) {
    return e.getRejected().isEmpty()
        && (e.getOutcome() == Outcome.HIT || e.getOutcome() == Outcome.NO_HIT || e.getOutcome() == Outcome.COUNT_RESULT);
  }

  /**
   * Charges one question of {@code askerParty}/{@code person} for {@code purpose} at {@code at}
   * to every limit in {@code limits} (the convenant version it is answered under) that matches,
   * or charges nothing and refuses {@code budget-exhausted} naming the first exhausted limit in
   * file order.
   */
  synchronized void charge(String covenantLabel, String covenantId, List<Limit> limits, String purpose,
      String askerParty, String person, Instant at) throws Refused {
    List<Limit> matching = matching(limits, purpose);
    for (Limit limit : matching) {
      ArrayDeque<Instant> charges = charges(counter(covenantId, limit, askerParty, person), limit.window(), at);
      if (charges.size() >= limit.max()) {
        // Room comes back when the (size - max + 1)-th oldest charge leaves (more than max after a lowered max).
        Instant leaving = charges.stream().skip(charges.size() - limit.max()).findFirst().orElseThrow();
        Duration wait = Duration.between(at, leaving.plus(limit.window()));
        throw new Refused(EXHAUSTED, party + " answers no more of these questions now: the budget "
            + limit.describe() + " of convenant " + covenantLabel + " is used up for "
            + (limit.per() == Limit.Per.ANALYST ? "this analyst" : "asking party " + askerParty)
            + "; room again in " + Math.max(1, (wait.toMillis() + 999) / 1000) + " s");
      }
    }
    for (Limit limit : matching) {
      charges(counter(covenantId, limit, askerParty, person), limit.window(), at).addLast(at);
    }
    if (++sinceSweep >= SWEEP_EVERY) {
      sinceSweep = 0;
      sweep(at);
    }
  }

  /** Units used now by {@code askerParty}/{@code person} against {@code limit}: for tests and metrics. */
  synchronized int used(String covenantId, Limit limit, String askerParty, String person, Instant now) {
    return charges(counter(covenantId, limit, askerParty, person), limit.window(), now).size();
  }

  // ------------------------------------------------------------------ under the lock

  private static List<Limit> matching(List<Limit> limits, String purpose) {
    return limits.stream().filter(l -> l.appliesTo(purpose)).toList();
  }

  private ArrayDeque<Instant> counter(String covenantId, Limit limit, String askerParty, String person) {
    return counters.computeIfAbsent(new Counter(covenantId, limit.purpose(), limit.per(), limit.window(), askerParty,
        limit.per() == Limit.Per.ANALYST ? person : ""), c -> new ArrayDeque<>());
  }

  /** The charges inside the window (at - window, at], oldest first. */
  private ArrayDeque<Instant> charges(ArrayDeque<Instant> charges, Duration window, Instant at) {
    Instant horizon = at.minus(window);
    while (!charges.isEmpty() && !charges.peekFirst().isAfter(horizon)) {
      charges.pollFirst();
    }
    return charges;
  }

  private void sweep(Instant now) {
    for (Iterator<Map.Entry<Counter, ArrayDeque<Instant>>> it = counters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Counter, ArrayDeque<Instant>> e = it.next();
      if (charges(e.getValue(), e.getKey().window(), now).isEmpty()) {
        it.remove();
      }
    }
  }
}
