package nl.schakel.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import nl.schakel.proto.v1.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Questions waiting for four-eyes approval, and how each ended, durable across restarts in
 * {@value #FILE}. Two kinds of record, one JSON object per line:
 * <ul>
 *   <li>{@code {"op":"pending", "approvalId", "queryId", "traceId", "askedAt", "asker":{party,
 *       person, roles}, "purpose", "caseReference"?, "covenant", "categories", "responders",
 *       "subject": base64 wire Subject (matching-key pseudonym or area code), "auditPseudonym":
 *       base64, "fourEyes":[{party, rule}], "expiresAt", "body": the 202 response}}</li>
 *   <li>{@code {"op":"decided", "approvalId", "decision": approve|reject|expire, "by":{party,
 *       person}?, "at", "body": the final response the asker fetches}}</li>
 * </ul>
 * Never the clear identifier, never a bearer token. A record is kept for {@link #RETENTION} after
 * it was asked (so the asker can still fetch the result, and a late approver gets 410 rather than
 * 404), then dropped when the file is compacted: at start and by the gateway's periodic sweep.
 */
final class ApprovalStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApprovalStore.class);
  static final String FILE = "approvals.jsonl";
  static final Duration RETENTION = Duration.ofDays(7);
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  enum State { PENDING, DECIDING, APPROVED, REJECTED, EXPIRED }

  /** How an approval ended: who decided (nobody for expiry), when, and what the asker gets. */
  record Decided(String decision, Optional<String> party, Optional<String> person, Instant at, JsonObject body) {
    State state() {
      return switch (decision) {
        case "approve" -> State.APPROVED;
        case "reject" -> State.REJECTED;
        default -> State.EXPIRED;
      };
    }
  }

  /** One approval as it stands. The bodies are shared: callers must not change them. */
  record Entry(PendingApproval approval, JsonObject pendingBody, State state, Optional<Decided> decided) {}

  private final Object lock = new Object();
  private final Journal journal;
  private final Map<String, Entry> byApproval = new LinkedHashMap<>();
  private final Map<String, String> approvalOfQuery = new LinkedHashMap<>();

  private ApprovalStore(Path file) throws IOException {
    this.journal = Journal.open(file, lock);
  }

  /** Opens the store in {@code dir}, replays and compacts it. Blocking: call at start. */
  static ApprovalStore open(Path dir, Instant now) throws IOException {
    Path file = dir.resolve(FILE);
    ApprovalStore store = new ApprovalStore(file);
    int lineNo = 0;
    try {
      for (String line : store.journal.replayed()) {
        lineNo++;
        store.replay(new JsonObject(line));
      }
    } catch (DecodeException | ClassCastException | IllegalArgumentException | NullPointerException
             | IllegalStateException e) {
      store.close();
      throw new IOException(file + " line " + lineNo + ": expected a pending or decided approval record, found "
          + "something else (" + e.getClass().getSimpleName() + "); the file is damaged");
    }
    try {
      store.compact(now).get();
    } catch (Exception e) {
      store.close();
      throw new IOException("cannot compact " + file + ": " + e.getClass().getSimpleName(), e);
    }
    return store;
  }

  /** Stores a new pending approval; the future completes once it is durable. */
  CompletableFuture<Void> add(PendingApproval approval, JsonObject pendingBody) {
    synchronized (lock) {
      Entry e = new Entry(approval, pendingBody, State.PENDING, Optional.empty());
      put(e);
      CompletableFuture<Void> durable = journal.append(pendingRecord(e).encode());
      return durable;
    }
  }

  Optional<Entry> byApprovalId(String approvalId) {
    synchronized (lock) {
      return Optional.ofNullable(byApproval.get(approvalId));
    }
  }

  Optional<Entry> byQueryId(String queryId) {
    synchronized (lock) {
      return Optional.ofNullable(approvalOfQuery.get(queryId)).map(byApproval::get);
    }
  }

  /** Every approval still pending (expired or not), oldest first. */
  List<Entry> pending() {
    synchronized (lock) {
      return byApproval.values().stream().filter(e -> e.state() == State.PENDING).toList();
    }
  }

  /**
   * Takes a pending approval for deciding, so no one else can; false if it is not pending. The
   * caller must then {@link #finish} or {@link #release} it.
   */
  boolean take(String approvalId) {
    synchronized (lock) {
      Entry e = byApproval.get(approvalId);
      if (e == null || e.state() != State.PENDING) {
        return false;
      }
      put(new Entry(e.approval(), e.pendingBody(), State.DECIDING, Optional.empty()));
      return true;
    }
  }

  /** Gives a taken approval back, pending as before (its decision could not be carried out). */
  void release(String approvalId) {
    synchronized (lock) {
      Entry e = byApproval.get(approvalId);
      if (e != null && e.state() == State.DECIDING) {
        put(new Entry(e.approval(), e.pendingBody(), State.PENDING, Optional.empty()));
      }
    }
  }

  /**
   * Records how a taken approval ended; the future completes once that is durable. If it cannot
   * be stored, the approval is pending again (as after a restart).
   */
  CompletableFuture<Void> finish(String approvalId, Decided decided) {
    CompletableFuture<Void> durable;
    synchronized (lock) {
      Entry e = byApproval.get(approvalId);
      if (e == null || e.state() != State.DECIDING) {
        return CompletableFuture.failedFuture(new IllegalStateException("approval was not taken for deciding"));
      }
      put(new Entry(e.approval(), e.pendingBody(), decided.state(), Optional.of(decided)));
      durable = journal.append(decidedRecord(approvalId, decided).encode());
    }
    return durable.whenComplete((ok, err) -> {
      if (err != null) {
        synchronized (lock) {
          Entry e = byApproval.get(approvalId);
          if (e != null) {
            put(new Entry(e.approval(), e.pendingBody(), State.PENDING, Optional.empty()));
          }
        }
      }
    });
  }

  boolean writable() {
    return journal.writable();
  }

  /** Drops approvals asked more than {@link #RETENTION} ago and rewrites the file with the rest. */
  CompletableFuture<Void> compact(Instant now) {
    return journal.compact(() -> {
      Instant horizon = now.minus(RETENTION);
      List<String> ids = byApproval.values().stream()
          .filter(e -> !e.approval().question().askedAt().isAfter(horizon))
          .map(e -> e.approval().approvalId()).toList();
      ids.forEach(id -> approvalOfQuery.remove(byApproval.remove(id).approval().question().queryId()));
      List<String> lines = new ArrayList<>();
      for (Entry e : byApproval.values()) {
        lines.add(pendingRecord(e).encode());
        e.decided().ifPresent(d -> lines.add(decidedRecord(e.approval().approvalId(), d).encode()));
      }
      return lines;
    });
  }

  /** Compacts when some approval has outlived {@link #RETENTION}; for the periodic sweep. */
  void compactIfStale(Instant now) {
    boolean stale;
    synchronized (lock) {
      Instant horizon = now.minus(RETENTION);
      stale = byApproval.values().stream().anyMatch(e -> !e.approval().question().askedAt().isAfter(horizon));
    }
    if (stale) {
      compact(now).exceptionally(err -> {
        log.error("approval compaction failed: {}", err.getClass().getSimpleName());
        return null;
      });
    }
  }

  private void put(Entry e) {
    byApproval.put(e.approval().approvalId(), e);
    approvalOfQuery.put(e.approval().question().queryId(), e.approval().approvalId());
  }

  // ------------------------------------------------------------------ the file format

  private void replay(JsonObject r) {
    switch (r.getString("op")) {
      case "pending" -> {
        PendingApproval a = approval(r);
        put(new Entry(a, r.getJsonObject("body"), State.PENDING, Optional.empty()));
      }
      case "decided" -> {
        Entry e = byApproval.get(r.getString("approvalId"));
        if (e == null) {
          throw new IllegalStateException("decided before pending");
        }
        JsonObject by = r.getJsonObject("by");
        Decided d = new Decided(r.getString("decision"),
            Optional.ofNullable(by).map(b -> b.getString("party")),
            Optional.ofNullable(by).map(b -> b.getString("person")),
            Instant.ofEpochMilli(r.getLong("at")), r.getJsonObject("body"));
        put(new Entry(e.approval(), e.pendingBody(), d.state(), Optional.of(d)));
      }
      default -> throw new IllegalArgumentException("unknown op");
    }
  }

  private static JsonObject pendingRecord(Entry e) {
    PendingApproval a = e.approval();
    PreparedQuestion q = a.question();
    JsonArray fourEyes = new JsonArray();
    a.fourEyes().forEach(r -> fourEyes.add(new JsonObject().put("party", r.party()).put("rule", r.ruleId())));
    JsonObject json = new JsonObject()
        .put("op", "pending")
        .put("approvalId", a.approvalId())
        .put("queryId", q.queryId())
        .put("traceId", q.traceId())
        .put("askedAt", q.askedAt().toEpochMilli())
        .put("asker", new JsonObject().put("party", q.askerParty()).put("person", q.askerPerson())
            .put("roles", new JsonArray(q.askerRoles().stream().sorted().toList())))
        .put("purpose", q.purpose())
        .put("covenant", q.covenantId())
        .put("categories", new JsonArray(q.categories()))
        .put("responders", new JsonArray(q.responders()))
        .put("subject", B64.encodeToString(q.subject().toByteArray()))
        .put("auditPseudonym", B64.encodeToString(q.auditPseudonym().toByteArray()))
        .put("flags", new JsonArray(q.flags()))
        .put("fourEyes", fourEyes)
        .put("expiresAt", a.expiresAt().toEpochMilli())
        .put("body", e.pendingBody());
    q.caseReference().ifPresent(c -> json.put("caseReference", c));
    return json;
  }

  private static JsonObject decidedRecord(String approvalId, Decided d) {
    JsonObject json = new JsonObject().put("op", "decided").put("approvalId", approvalId)
        .put("decision", d.decision()).put("at", d.at().toEpochMilli()).put("body", d.body());
    if (d.party().isPresent() && d.person().isPresent()) {
      json.put("by", new JsonObject().put("party", d.party().get()).put("person", d.person().get()));
    }
    return json;
  }

  private static PendingApproval approval(JsonObject r) {
    JsonObject asker = r.getJsonObject("asker");
    Subject subject;
    try {
      subject = Subject.parseFrom(B64D.decode(r.getString("subject")));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("subject is not a wire Subject", e);
    }
    List<PendingApproval.RuleRef> fourEyes = new ArrayList<>();
    r.getJsonArray("fourEyes").forEach(o -> {
      JsonObject f = (JsonObject) o;
      fourEyes.add(new PendingApproval.RuleRef(f.getString("party"), f.getString("rule")));
    });
    PreparedQuestion q = new PreparedQuestion(
        r.getString("queryId"), r.getString("traceId"), Instant.ofEpochMilli(r.getLong("askedAt")),
        asker.getString("party"), asker.getString("person"), new HashSet<>(strings(asker.getJsonArray("roles"))),
        r.getString("purpose"), Optional.ofNullable(r.getString("caseReference")), r.getString("covenant"),
        strings(r.getJsonArray("categories")), strings(r.getJsonArray("responders")), subject,
        ByteString.copyFrom(B64D.decode(r.getString("auditPseudonym"))),
        // Journals written before flags existed have none.
        r.containsKey("flags") ? strings(r.getJsonArray("flags")) : List.of());
    return new PendingApproval(r.getString("approvalId"), q, fourEyes, Instant.ofEpochMilli(r.getLong("expiresAt")));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(o -> out.add((String) o));
    return out;
  }

  @Override
  public void close() {
    journal.close();
  }
}
