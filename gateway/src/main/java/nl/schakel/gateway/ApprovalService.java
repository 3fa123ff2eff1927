package nl.schakel.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import nl.schakel.covenant.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four-eyes (API.md): who may see and decide a held question, and what deciding does. An approver
 * is another person who may ask the very same question under every rule that made it wait,
 * checked with the convenant's own evaluator at the moment of deciding. Approving runs the
 * question as the original asker asked it (identity, purpose, case reference, subject pseudonym),
 * with the approver recorded; rejecting or letting it expire ends it without asking anyone.
 */
final class ApprovalService {
  private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);

  private final ApprovalStore store;
  private final QueryService queries;
  private final Clock clock;

  ApprovalService(ApprovalStore store, QueryService queries, Clock clock) {
    this.store = store;
    this.queries = queries;
    this.clock = clock;
  }

  /** What {@code caller} may approve now: never their own questions, never an identifier. */
  JsonObject pending(Asker caller) {
    Instant now = clock.instant();
    JsonArray items = new JsonArray();
    for (ApprovalStore.Entry e : store.pending()) {
      PendingApproval a = e.approval();
      if (a.expiredAt(now)) {
        expire(a.approvalId(), now);
        continue;
      }
      if (!a.question().askedBy(caller.party(), caller.person()) && mayApprove(caller, a, now)) {
        items.add(item(a));
      }
    }
    return new JsonObject().put("approvals", items);
  }

  /** The asker's view of their own held question: pending, or how it ended; empty for anyone else. */
  CompletableFuture<Optional<JsonObject>> status(Asker caller, String queryId) {
    Optional<ApprovalStore.Entry> found = store.byQueryId(queryId)
        .filter(e -> e.approval().question().askedBy(caller.party(), caller.person()));
    if (found.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    ApprovalStore.Entry e = found.get();
    Instant now = clock.instant();
    if (e.state() == ApprovalStore.State.PENDING && e.approval().expiredAt(now)) {
      return expire(e.approval().approvalId(), now).thenApply(ignored -> current(queryId));
    }
    return CompletableFuture.completedFuture(current(queryId));
  }

  private Optional<JsonObject> current(String queryId) {
    return store.byQueryId(queryId).map(e -> e.decided().map(ApprovalStore.Decided::body).orElse(e.pendingBody()));
  }

  /**
   * Approves or rejects. Fails with {@link QueryService.Rejected}: 404 unknown, 403 self-approval
   * or not allowed under the rule, 409 already decided, 410 expired, 503 when it cannot be logged.
   */
  CompletableFuture<JsonObject> decide(Asker caller, String approvalId, boolean approve) {
    Instant now = clock.instant();
    Optional<ApprovalStore.Entry> found = store.byApprovalId(approvalId);
    if (found.isEmpty()) {
      return fail(Problem.of(404, "approval-not-found", "No such approval",
          "No approval has this id; list what you may approve with GET /v1/approvals?status=pending"));
    }
    PendingApproval a = found.get().approval();
    if (a.question().askedBy(caller.party(), caller.person())) {
      return fail(Problem.of(403, "self-approval", "You cannot approve your own question",
          "Four-eyes means a second person: another person allowed to ask under rule " + String.join(", ", a.rules())
              + " must decide"));
    }
    if (!mayApprove(caller, a, now)) {
      return fail(Problem.of(403, "not-an-approver", "You may not decide this approval",
          "Only a person allowed to ask this question under rule " + String.join(", ", a.rules())
              + " of convenant " + a.question().covenantId() + " may approve it; " + caller.party()
              + " with roles " + caller.roles().stream().sorted().toList() + " is not"));
    }
    ApprovalStore.State state = found.get().state();
    if (state == ApprovalStore.State.PENDING && a.expiredAt(now)) {
      return expire(approvalId, now).thenCompose(ignored -> fail(expired(a)));
    }
    if (state == ApprovalStore.State.EXPIRED) {
      return fail(expired(a));
    }
    if (!store.take(approvalId)) {
      return fail(Problem.of(409, "approval-decided", "Already decided",
          "This approval was already " + found.get().decided().map(d -> d.decision() + "d").orElse("being decided")
              + "; the asker can fetch the outcome"));
    }
    QueryService.Approver approver = new QueryService.Approver(caller.party(), caller.person(), caller.token());
    CompletableFuture<QueryService.Reply> ended;
    try {
      CovenantSet.Loaded loaded = queries.covenantOf(a.question(), now);
      List<Decision> decisions = QueryService.decide(a.question(), loaded, now);
      ended = approve
          ? queries.run(a.question(), loaded, decisions,
              new QueryService.Credentials(Optional.empty(), Optional.of(approver)), new HashSet<>(a.fourEyes()), now)
          : queries.endUnapproved(a, loaded, decisions, "approval-rejected", Optional.of(approver), now);
    } catch (CovenantSet.NoCovenantException | RuntimeException e) {
      store.release(approvalId);
      return fail(Problem.of(409, "covenant-gone", "The convenant is no longer loaded",
          "Convenant " + a.question().covenantId() + " that this question cites is no longer loaded by the gateway"));
    }
    String decision = approve ? "approve" : "reject";
    return ended
        .thenCompose(reply -> store.finish(approvalId, new ApprovalStore.Decided(decision, Optional.of(caller.party()),
                Optional.of(caller.person()), now, reply.body()))
            .handle((ok, err) -> {
              if (err != null) {
                throw new CompletionException(new QueryService.Rejected(QueryService.unavailableState()));
              }
              log.info("approval={} query={} decision={} by={}/{} status={}", approvalId, a.question().queryId(),
                  decision, caller.party(), caller.person(), reply.body().getString("status"));
              // The approver decides; the answers are the asker's to fetch.
              return new JsonObject().put("approvalId", approvalId).put("queryId", a.question().queryId())
                  .put("decision", decision).put("decidedAt", now.toString())
                  .put("status", reply.body().getString("status"));
            }))
        .whenComplete((ok, err) -> {
          if (err != null) {
            store.release(approvalId);
          }
        });
  }

  /**
   * Ends every held question past its expiry, so expiry is logged even if nobody looks, and drops
   * old records from the store. For a periodic timer.
   */
  void sweep() {
    Instant now = clock.instant();
    store.pending().stream().filter(e -> e.approval().expiredAt(now))
        .forEach(e -> expire(e.approval().approvalId(), now));
    store.compactIfStale(now);
  }

  /** Ends a held question as expired (logged, nobody asked); completes when done or when someone else took it. */
  private CompletableFuture<Void> expire(String approvalId, Instant now) {
    if (!store.take(approvalId)) {
      return CompletableFuture.completedFuture(null);
    }
    PendingApproval a = store.byApprovalId(approvalId).orElseThrow().approval();
    CompletableFuture<QueryService.Reply> ended;
    try {
      CovenantSet.Loaded loaded = queries.covenantOf(a.question(), now);
      ended = queries.endUnapproved(a, loaded, QueryService.decide(a.question(), loaded, now), "approval-expired",
          Optional.empty(), now);
    } catch (CovenantSet.NoCovenantException e) {
      store.release(approvalId);
      return CompletableFuture.completedFuture(null);
    }
    return ended
        .thenCompose(reply -> store.finish(approvalId, new ApprovalStore.Decided("expire", Optional.empty(),
            Optional.empty(), now, reply.body())))
        .handle((ok, err) -> {
          if (err != null) {
            store.release(approvalId);
            log.warn("approval={} could not be ended as expired yet: {}", approvalId, err.getClass().getSimpleName());
          }
          return null;
        });
  }

  /** Whether {@code caller} may ask this very question under every rule that made it wait. */
  private boolean mayApprove(Asker caller, PendingApproval a, Instant now) {
    CovenantSet.Loaded loaded;
    try {
      loaded = queries.covenantOf(a.question(), now);
    } catch (CovenantSet.NoCovenantException e) {
      return false;
    }
    var asCaller = a.question().asAskedBy(caller.party(), caller.roles());
    return !a.fourEyes().isEmpty() && a.fourEyes().stream().allMatch(r ->
        loaded.evaluator().decide(asCaller, r.party(), now) instanceof Decision.Allow allow
            && allow.ruleId().equals(r.ruleId()));
  }

  private static JsonObject item(PendingApproval a) {
    PreparedQuestion q = a.question();
    JsonObject item = new JsonObject()
        .put("approvalId", a.approvalId())
        .put("queryId", q.queryId())
        .put("asker", new JsonObject().put("party", q.askerParty()).put("person", q.askerPerson()))
        .put("purpose", q.purpose());
    q.caseReference().ifPresent(c -> item.put("caseReference", c));
    // The subject's type only: an approver judges the question, not whom it is about.
    return item.put("subject", new JsonObject().put("type", q.subjectType().yamlName()))
        .put("covenant", q.covenantId())
        .put("rules", new JsonArray(a.rules()))
        .put("responders", new JsonArray(a.fourEyes().stream().map(PendingApproval.RuleRef::party).distinct().toList()))
        .put("requestedAt", q.askedAt().toString())
        .put("expiresAt", a.expiresAt().toString());
  }

  private static Problem expired(PendingApproval a) {
    return Problem.of(410, "approval-expired", "Approval expired",
        "This question waited longer than " + QueryService.APPROVAL_LIFETIME.toHours() + " hours (until "
            + a.expiresAt() + ") and has ended as refused; the asker may ask again");
  }

  private static <T> CompletableFuture<T> fail(Problem problem) {
    return CompletableFuture.failedFuture(new QueryService.Rejected(problem));
  }
}
