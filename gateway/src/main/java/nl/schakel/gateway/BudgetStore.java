package nl.schakel.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import nl.schakel.covenant.Limit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets against enumeration (COVENANT.md {@code limits}): one unit per admitted question,
 * charged to every limit of the convenant that matches its purpose, counted per analyst (party +
 * person) or per party over a sliding window.
 *
 * <p>What is stored is the admitted question, not the counters: one record
 * {@code {"at": epoch ms, "covenant", "purpose", "party", "person"}} per line of
 * {@value #FILE}. At start the records are replayed against the convenant's limits as they are
 * now, so a lowered {@code max} applies to charges already made. Counters are keyed by
 * (convenant, purpose, per, window, who), not by {@code max}, for the same reason.
 *
 * <p>Check and charge happen atomically under one lock, so two concurrent questions cannot both
 * take the last unit. A question may go ahead only once its charge is durable: a crash can then
 * forget a question that was never asked, but never let one through uncharged.
 */
final class BudgetStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BudgetStore.class);
  static final String FILE = "budgets.jsonl";
  /** The file is compacted once it holds this many more records than twice the live ones. */
  static final int COMPACT_SLACK = 1024;

  /** The outcome of a charge attempt. */
  sealed interface Charge permits Charged, Exhausted {}

  /** Charged to every matching limit; go ahead once {@code durable} completes. */
  record Charged(CompletableFuture<Void> durable) implements Charge {}

  /**
   * Not charged: {@code limit} (the first exhausted one in file order) has no room, and every
   * exhausted limit will have room again after {@code retryAfter}.
   */
  record Exhausted(Limit limit, Duration retryAfter) implements Charge {}

  private record Counter(String covenantId, Optional<String> purpose, Limit.Per per, Duration window,
                         String party, String person) {}

  private record Admitted(Instant at, String covenantId, String purpose, String party, String person,
                          Instant keepUntil) {
    String encode() {
      return new JsonObject().put("at", at.toEpochMilli()).put("covenant", covenantId).put("purpose", purpose)
          .put("party", party).put("person", person).encode();
    }
  }

  private final Object lock = new Object();
  private final Function<String, List<Limit>> limitsOf;
  private final Journal journal;
  private final Map<Counter, ArrayDeque<Instant>> counters = new HashMap<>();
  // Admitted questions still inside some window, roughly in time order: what compaction keeps.
  private final ArrayDeque<Admitted> live = new ArrayDeque<>();
  private boolean compactionQueued;

  private BudgetStore(Function<String, List<Limit>> limitsOf, Path file) throws IOException {
    this.limitsOf = limitsOf;
    this.journal = Journal.open(file, lock);
  }

  /**
   * Opens the store in {@code dir}, replays it against the limits of each convenant id (empty for
   * one no longer loaded) and compacts it. Blocking: call at start.
   */
  static BudgetStore open(Path dir, Function<String, List<Limit>> limitsOf, Instant now) throws IOException {
    Path file = dir.resolve(FILE);
    BudgetStore store = new BudgetStore(limitsOf, file);
    int lineNo = 0;
    for (String line : store.journal.replayed()) {
      lineNo++;
      Admitted a;
      try {
        JsonObject json = new JsonObject(line);
        a = new Admitted(Instant.ofEpochMilli(json.getLong("at")), json.getString("covenant"),
            json.getString("purpose"), json.getString("party"), json.getString("person"), Instant.EPOCH);
        if (a.covenantId() == null || a.purpose() == null || a.party() == null || a.person() == null) {
          throw new IllegalArgumentException("missing field");
        }
      } catch (DecodeException | ClassCastException | IllegalArgumentException | NullPointerException e) {
        store.close();
        throw new IOException(file + " line " + lineNo + ": expected a budget record {at, covenant, purpose, party, "
            + "person}, found something else; the file is damaged");
      }
      synchronized (store.lock) {
        store.record(a, now);
      }
    }
    try {
      store.compact(now).get();
    } catch (Exception e) {
      store.close();
      throw new IOException("cannot compact " + file + ": " + e.getClass().getSimpleName(), e);
    }
    return store;
  }

  /**
   * Charges one admitted question of {@code party}/{@code person} for {@code purpose} to every
   * matching limit of convenant {@code covenantId}, or charges nothing if any of them is exhausted.
   */
  Charge tryCharge(String covenantId, String purpose, String party, String person, Instant now) {
    synchronized (lock) {
      List<Limit> matching = matching(covenantId, purpose);
      if (matching.isEmpty()) {
        return new Charged(CompletableFuture.completedFuture(null));
      }
      Optional<Limit> first = Optional.empty();
      Duration retryAfter = Duration.ZERO;
      for (Limit limit : matching) {
        ArrayDeque<Instant> charges = charges(counter(covenantId, limit, party, person), limit.window(), now);
        if (charges.size() >= limit.max()) {
          first = first.or(() -> Optional.of(limit));
          Duration wait = untilRoom(charges, limit, now);
          retryAfter = wait.compareTo(retryAfter) > 0 ? wait : retryAfter;
        }
      }
      if (first.isPresent()) {
        return new Exhausted(first.get(), retryAfter);
      }
      Admitted a = record(new Admitted(now, covenantId, purpose, party, person, Instant.EPOCH), now);
      CompletableFuture<Void> durable = journal.append(a.encode());
      if (!compactionQueued && journal.lines() > 2L * live.size() + COMPACT_SLACK) {
        compactionQueued = true;
        compact(now).exceptionally(e -> {
          log.error("budget compaction failed: {}", e.getClass().getSimpleName());
          return null;
        });
      }
      return new Charged(durable);
    }
  }

  /** Rewrites the file with only the questions still inside a window. */
  CompletableFuture<Void> compact(Instant now) {
    return journal.compact(() -> {
      // Runs under the lock, on the journal's thread.
      compactionQueued = false;
      live.removeIf(a -> !a.keepUntil().isAfter(now));
      for (Iterator<Map.Entry<Counter, ArrayDeque<Instant>>> it = counters.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Counter, ArrayDeque<Instant>> e = it.next();
        Instant horizon = now.minus(e.getKey().window());
        e.getValue().removeIf(at -> !at.isAfter(horizon));
        if (e.getValue().isEmpty()) {
          it.remove();
        }
      }
      List<String> lines = new ArrayList<>(live.size());
      live.forEach(a -> lines.add(a.encode()));
      return lines;
    });
  }

  boolean writable() {
    return journal.writable();
  }

  // ------------------------------------------------------------------ under the lock

  private List<Limit> matching(String covenantId, String purpose) {
    return limitsOf.apply(covenantId).stream().filter(l -> l.appliesTo(purpose)).toList();
  }

  /** Adds {@code a} to the counters of its matching limits whose window still covers it. */
  private Admitted record(Admitted a, Instant now) {
    Instant keepUntil = Instant.EPOCH;
    for (Limit limit : matching(a.covenantId(), a.purpose())) {
      Instant until = a.at().plus(limit.window());
      if (until.isAfter(now)) {
        charges(counter(a.covenantId(), limit, a.party(), a.person()), limit.window(), now).addLast(a.at());
        keepUntil = until.isAfter(keepUntil) ? until : keepUntil;
      }
    }
    Admitted kept = new Admitted(a.at(), a.covenantId(), a.purpose(), a.party(), a.person(), keepUntil);
    while (!live.isEmpty() && !live.peekFirst().keepUntil().isAfter(now)) {
      live.pollFirst();
    }
    if (keepUntil.isAfter(now)) {
      live.addLast(kept);
    }
    return kept;
  }

  private static Counter counter(String covenantId, Limit limit, String party, String person) {
    return new Counter(covenantId, limit.purpose(), limit.per(), limit.window(), party,
        limit.per() == Limit.Per.ANALYST ? person : "");
  }

  /** The charges of {@code counter} inside the window (now - window, now], oldest first. */
  private ArrayDeque<Instant> charges(Counter counter, Duration window, Instant now) {
    ArrayDeque<Instant> charges = counters.computeIfAbsent(counter, c -> new ArrayDeque<>());
    Instant horizon = now.minus(window);
    while (!charges.isEmpty() && !charges.peekFirst().isAfter(horizon)) {
      charges.pollFirst();
    }
    return charges;
  }

  /** How long until the counter is below {@code max} again: until its (size - max + 1)-th oldest charge leaves. */
  private static Duration untilRoom(ArrayDeque<Instant> charges, Limit limit, Instant now) {
    Iterator<Instant> it = charges.iterator();
    Instant leaving = it.next();
    for (int i = 0; i < charges.size() - limit.max(); i++) {
      leaving = it.next();
    }
    return Duration.between(now, leaving.plus(limit.window()));
  }

  @Override
  public void close() {
    journal.close();
  }
}
