package nl.schakel.gateway;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import nl.schakel.audit.AppendResult;
import nl.schakel.covenant.AnswerKind;
import nl.schakel.covenant.AreaLevel;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.Party;
import nl.schakel.covenant.Purpose;
import nl.schakel.covenant.Question;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.Credential;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Signature;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseSigner;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.proto.v1.ResponderEntry;
import nl.schakel.proto.v1.ResponderRule;
import nl.schakel.proto.v1.Subject;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * One question from the analyst's request to the combined answer: validate it against the
 * convenant, admit it (budgets, four-eyes), log the intent, ask the allowed nodes in parallel, log
 * the result, and build the response. The order of the steps is the order of ARCHITECTURE.md
 * "The flow of one question".
 *
 * <p>Audit entries per question: a direct question gets INTENT then RESULT (or only a RESULT
 * {@code refused} when nobody may be asked or a budget is exhausted). A four-eyes question gets a
 * RESULT with status {@code pending-approval} when it is held: a RESULT, not an INTENT, because it
 * records what the asker learned then (the decisions and that it waits), and an INTENT would
 * claim that nodes are about to be asked. Once decided it gets INTENT then RESULT (approved) or a
 * RESULT {@code refused} (rejected, expired), each with {@code approver_person} where a person
 * decided.
 */
final class QueryService {
  /** How long a signed question stays valid after the gateway issues it. */
  static final Duration QUESTION_LIFETIME = Duration.ofSeconds(30);
  /** COVENANT.md, Admission: approvals expire after 24 hours. */
  static final Duration APPROVAL_LIFETIME = Duration.ofHours(24);
  /** The audit flag of a question that continues a numeric run of identifiers ({@link SequenceWatch}). */
  static final String SEQUENTIAL = "sequential-identifiers";
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

  private final CovenantSet covenants;
  private final NodeClients nodes;
  private final Pseudonymiser matching;
  private final Pseudonymiser auditPseudonyms;
  private final AuditTrail audit;
  private final BudgetStore budgets;
  private final ApprovalStore approvals;
  private final Clock clock;
  private final SigningKey signingKey;
  private final SequenceWatch sequences;

  /** {@code signingKey}: the gateway's certified key; every question it sends carries its signature. */
  QueryService(CovenantSet covenants, NodeClients nodes, Pseudonymiser matching, Pseudonymiser auditPseudonyms,
      AuditTrail audit, BudgetStore budgets, ApprovalStore approvals, Clock clock, SigningKey signingKey) {
    this(covenants, nodes, matching, auditPseudonyms, audit, budgets, approvals, clock, signingKey,
        new SequenceWatch(SequenceWatch.Settings.DEFAULTS, clock));
  }

  /** As above, watching for sequential identifiers with {@code sequences}. */
  QueryService(CovenantSet covenants, NodeClients nodes, Pseudonymiser matching, Pseudonymiser auditPseudonyms,
      AuditTrail audit, BudgetStore budgets, ApprovalStore approvals, Clock clock, SigningKey signingKey,
      SequenceWatch sequences) {
    this.sequences = sequences;
    this.signingKey = signingKey;
    this.covenants = covenants;
    this.nodes = nodes;
    this.matching = matching;
    this.auditPseudonyms = auditPseudonyms;
    this.audit = audit;
    this.budgets = budgets;
    this.approvals = approvals;
    this.clock = clock;
  }

  /** The HTTP status and JSON body to send, or the problem to send instead. */
  record Reply(int status, JsonObject body) {}

  /** Refusals of the whole question that must be answered with a problem, not with per-party answers. */
  static final class Rejected extends Exception {
    final Problem problem;

    Rejected(Problem problem) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
    }
  }

  /** The person who approved or rejected a held question, with the credential that proves it. */
  record Approver(String party, String person, String token) {
    @Override
    public String toString() {
      return "Approver[" + party + "/" + person + "]"; // the token is a bearer credential
    }
  }

  /** The credentials that travel in the signed question, so nodes can check who asked and who approved. */
  record Credentials(Optional<String> askerToken, Optional<Approver> approver) {}

  private record Prepared(PreparedQuestion question, CovenantSet.Loaded covenant) {}

  private static final class Forbidden extends Exception {
    final Problem problem;
    final Prepared prepared;

    Forbidden(Problem problem, Prepared prepared) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
      this.prepared = prepared;
    }
  }

  /** {@code wait}: how this question's audit appends are made, timed toward it for /metrics. */
  CompletableFuture<Reply> ask(Asker asker, QueryRequest req, Optional<String> traceparent, QueryTimings.AuditWait wait) {
    Instant now = clock.instant();
    String queryId = UUID.randomUUID().toString();
    String traceId = traceparent.map(TRACEPARENT::matcher).filter(java.util.regex.Matcher::matches)
        .map(m -> m.group(1)).orElseGet(QueryService::newTraceId);
    Prepared p;
    try {
      p = prepare(asker, req, queryId, traceId, now);
    } catch (Rejected r) {
      return CompletableFuture.failedFuture(r);
    } catch (Forbidden f) {
      // An authenticated, well-formed question that nobody may answer is logged too (principle 5).
      AuditEntry entry = baseEntry(f.prepared.question(), f.prepared.covenant(), now)
          .setKind(AuditEntry.Kind.RESULT).setStatus("refused").build();
      return wait.append(audit, entry).handle((ok, err) -> {
        throw new CompletionException(new Rejected(err == null ? f.problem : unavailableLog()));
      });
    }
    if (p.question().flags().contains(SEQUENTIAL) && sequences.settings().action() == SequenceWatch.Action.REFUSE) {
      return refuseSequential(p, wait);
    }
    List<Decision> decisions = decide(p.question(), p.covenant(), now);
    return admit(p.question(), p.covenant(), decisions, Optional.of(asker.token()).filter(t -> !t.isEmpty()), now, wait);
  }

  /**
   * A question refused because it continues a numeric run of identifiers: nobody is asked and no
   * budget is charged, and the refusal is logged with its flag so a reviewer finds the run.
   */
  private CompletableFuture<Reply> refuseSequential(Prepared p, QueryTimings.AuditWait wait) {
    SequenceWatch.Settings s = sequences.settings();
    Problem problem = Problem.of(403, SEQUENTIAL, "Identifiers asked in sequence",
        "This is at least the " + s.threshold() + "th identifier close in number to others you asked within "
            + s.window() + "; the gateway refuses such runs (an enumeration of a register). Ask your privacy"
            + " officer if your case needs it");
    AuditEntry entry = baseEntry(p.question(), p.covenant(), p.question().askedAt())
        .setKind(AuditEntry.Kind.RESULT).setStatus("refused").build();
    return wait.append(audit, entry).handle((ok, err) -> {
      throw new CompletionException(new Rejected(err == null ? problem : unavailableLog()));
    });
  }

  /** Explains, without asking anyone or spending budget, what each party's decision would be. */
  JsonObject explain(Asker asker, QueryRequest req) throws Rejected {
    CovenantSet.Loaded loaded = covenant(req);
    Covenant c = loaded.covenant();
    Question q = question(asker, req);
    JsonArray parties = new JsonArray();
    for (String responder : responders(req, loaded)) {
      Decision d = loaded.evaluator().decide(q, responder, clock.instant());
      JsonObject p = new JsonObject().put("party", responder);
      if (d instanceof Decision.Allow a) {
        p.put("decision", "allow").put("answer", a.answer().yamlName())
            .put("rule", a.ruleId()).put("legalBasis", new JsonArray(a.legalBasis()))
            .put("categories", new JsonArray(a.categories().stream().sorted().toList()))
            .put("fourEyes", a.fourEyes());
      } else if (d instanceof Decision.Deny n) {
        p.put("decision", "deny").put("reason", n.reason().code()).put("clause", n.clause()).put("detail", n.text());
      }
      parties.add(p);
    }
    return new JsonObject().put("covenant", c.id()).put("version", c.version()).put("purpose", req.purpose())
        .put("parties", parties);
  }

  /** The convenant a prepared question cites, at its highest version in force at {@code now}. */
  CovenantSet.Loaded covenantOf(PreparedQuestion q, Instant now) throws CovenantSet.NoCovenantException {
    return covenants.forPurpose(q.purpose(), Optional.of(q.covenantId()), now);
  }

  /** The pure decision for every responder considered, for the original asker, at {@code now}. */
  static List<Decision> decide(PreparedQuestion q, CovenantSet.Loaded loaded, Instant now) {
    return loaded.evaluator().decideAll(q.asAsked(), q.responders(), now);
  }

  // ------------------------------------------------------------------ admission

  /**
   * The stateful step after the pure decision (COVENANT.md, Admission). A question nobody may
   * answer is refused as a whole and not charged. Otherwise every matching limit is charged one
   * unit, also for a question that then waits for four-eyes approval (so a flood of held questions
   * is bounded too; a rejection or expiry does not refund it).
   */
  private CompletableFuture<Reply> admit(PreparedQuestion q, CovenantSet.Loaded loaded, List<Decision> decisions,
      Optional<String> askerToken, Instant now, QueryTimings.AuditWait wait) {
    List<Decision.Allow> allowed = allows(decisions);
    if (allowed.isEmpty()) {
      return run(q, loaded, decisions, new Credentials(askerToken, Optional.empty()), Set.of(), now, wait);
    }
    BudgetStore.Charge charge = budgets.tryCharge(q.covenantId(), q.purpose(), q.askerParty(), q.askerPerson(), now);
    if (charge instanceof BudgetStore.Exhausted e) {
      return refuseForBudget(q, loaded, decisions, e, now, wait);
    }
    return ((BudgetStore.Charged) charge).durable()
        .exceptionally(err -> {
          throw new CompletionException(new Rejected(unavailableState()));
        })
        .thenCompose(ignored -> allowed.stream().anyMatch(Decision.Allow::fourEyes)
            ? hold(q, loaded, decisions, now, wait)
            : run(q, loaded, decisions, new Credentials(askerToken, Optional.empty()), Set.of(), now, wait));
  }

  private CompletableFuture<Reply> refuseForBudget(PreparedQuestion q, CovenantSet.Loaded loaded,
      List<Decision> decisions, BudgetStore.Exhausted e, Instant now, QueryTimings.AuditWait wait) {
    Covenant c = loaded.covenant();
    String detail = "Budget exhausted: " + e.limit().describe() + " in convenant " + c.id() + " v"
        + c.version() + " is used up for " + (e.limit().per() == nl.schakel.covenant.Limit.Per.ANALYST
        ? "you" : "your party " + q.askerParty());
    List<PartyResult> results = decisions.stream().map(d -> d instanceof Decision.Allow a
        ? (PartyResult) new PartyResult.NotAdmitted(a, "budget-exhausted", detail)
        : new PartyResult.Denied((Decision.Deny) d)).toList();
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    Problem problem = Problem.of(429, "budget-exhausted", "Budget exhausted", detail + "; try again in " + seconds
        + " s").retryAfter(seconds);
    return logResult(baseEntry(q, loaded, now), "refused", results, wait).thenApply(receipt -> {
      throw new CompletionException(new Rejected(problem));
    });
  }

  /** Four-eyes: the whole question waits for a second person, durably, and the asker gets 202. */
  private CompletableFuture<Reply> hold(PreparedQuestion q, CovenantSet.Loaded loaded, List<Decision> decisions,
      Instant now, QueryTimings.AuditWait wait) {
    String approvalId = UUID.randomUUID().toString();
    List<PendingApproval.RuleRef> fourEyes = allows(decisions).stream().filter(Decision.Allow::fourEyes)
        .map(a -> new PendingApproval.RuleRef(a.party(), a.ruleId())).toList();
    PendingApproval pending = new PendingApproval(approvalId, q, fourEyes, now.plus(APPROVAL_LIFETIME));
    List<PartyResult> results = decisions.stream().map(d -> d instanceof Decision.Allow a
        ? (PartyResult) new PartyResult.Pending(a)
        : new PartyResult.Denied((Decision.Deny) d)).toList();
    return logResult(baseEntry(q, loaded, now), "pending-approval", results, wait).thenCompose(receipt -> {
      JsonObject body = response(q, loaded, "pending-approval", Optional.of(approvalId), results, receipt);
      return approvals.add(pending, body).handle((ok, err) -> {
        if (err != null) {
          throw new CompletionException(new Rejected(unavailableState()));
        }
        return new Reply(202, body);
      });
    });
  }

  /**
   * Ends a held question without asking anyone: every allowed party is refused with
   * {@code reason} ({@code approval-rejected} or {@code approval-expired}), because approval is
   * given to the question as a whole.
   */
  CompletableFuture<Reply> endUnapproved(PendingApproval pending, CovenantSet.Loaded loaded, List<Decision> decisions,
      String reason, Optional<Approver> approver, Instant now) {
    String rules = String.join(", ", pending.rules());
    String detail = reason.equals("approval-rejected")
        ? "The question needed a second person's approval (four-eyes, rule " + rules + ") and it was rejected; nobody was asked"
        : "The question needed a second person's approval (four-eyes, rule " + rules + ") and got none within "
            + APPROVAL_LIFETIME.toHours() + " hours; nobody was asked";
    List<PartyResult> results = decisions.stream().map(d -> d instanceof Decision.Allow a
        ? (PartyResult) new PartyResult.NotAdmitted(a, reason, detail)
        : new PartyResult.Denied((Decision.Deny) d)).toList();
    AuditEntry.Builder base = baseEntry(pending.question(), loaded, now);
    approver.ifPresent(a -> base.setApproverPerson(a.person()).setApproverParty(a.party()));
    return logResult(base, "refused", results, QueryTimings.AuditWait.UNTIMED).thenApply(receipt ->
        new Reply(200, response(pending.question(), loaded, "refused", Optional.empty(), results, receipt)));
  }

  // ------------------------------------------------------------------ asking

  /**
   * Asks every allowed party, logging INTENT before and RESULT after. An allowed party whose rule
   * needs four-eyes and is not in {@code approved} is not asked (a convenant changed while the
   * question was held must not widen what was approved).
   */
  CompletableFuture<Reply> run(PreparedQuestion q, CovenantSet.Loaded loaded, List<Decision> decisions,
      Credentials credentials, Set<PendingApproval.RuleRef> approved, Instant now) {
    return run(q, loaded, decisions, credentials, approved, now, QueryTimings.AuditWait.UNTIMED);
  }

  private CompletableFuture<Reply> run(PreparedQuestion q, CovenantSet.Loaded loaded, List<Decision> decisions,
      Credentials credentials, Set<PendingApproval.RuleRef> approved, Instant now, QueryTimings.AuditWait wait) {
    List<PartyResult> fixed = new ArrayList<>();
    List<Decision.Allow> toAsk = new ArrayList<>();
    for (Decision d : decisions) {
      if (d instanceof Decision.Deny n) {
        fixed.add(new PartyResult.Denied(n));
      } else if (d instanceof Decision.Allow a && a.fourEyes()
          && !approved.contains(new PendingApproval.RuleRef(a.party(), a.ruleId()))) {
        fixed.add(new PartyResult.NotAdmitted(a, "four-eyes-required",
            "Rule " + a.ruleId() + " needs a second person's approval, which this question does not have"));
      } else {
        fixed.add(null); // asked below; its place keeps the order in which parties were considered
        toAsk.add((Decision.Allow) d);
      }
    }
    AuditEntry.Builder base = baseEntry(q, loaded, now);
    credentials.approver().ifPresent(a -> base.setApproverPerson(a.person()).setApproverParty(a.party()));
    if (toAsk.isEmpty()) {
      return logResult(base, "refused", fixed, wait).thenApply(receipt ->
          new Reply(200, response(q, loaded, "refused", Optional.empty(), fixed, receipt)));
    }
    AuditEntry.Builder intent = base.clone().setKind(AuditEntry.Kind.INTENT);
    decisions.forEach(d -> intent.addResponders(decisionEntry(d)));
    return wait.append(audit, intent.build())
        .exceptionally(err -> {
          throw new CompletionException(new Rejected(unavailableLog()));
        })
        .thenCompose(ignored -> fanOut(q, loaded, toAsk, credentials, now))
        .thenCompose(answers -> {
          List<PartyResult> all = new ArrayList<>();
          int next = 0;
          for (PartyResult r : fixed) {
            all.add(r == null ? answers.get(next++) : r);
          }
          String status = all.stream().anyMatch(r -> r instanceof PartyResult.Unavailable) ? "partial" : "complete";
          return logResult(base, status, all, wait).thenApply(receipt ->
              new Reply(200, response(q, loaded, status, Optional.empty(), all, receipt)));
        });
  }

  /** Appends the RESULT entry: what the asker learned per party. Fails with a 503 when it cannot. */
  private CompletableFuture<AppendResult> logResult(AuditEntry.Builder base, String status, List<PartyResult> results,
      QueryTimings.AuditWait wait) {
    AuditEntry.Builder result = base.clone().setKind(AuditEntry.Kind.RESULT).setStatus(status).clearResponders();
    results.forEach(r -> result.addResponders(learnedEntry(r)));
    combined(results).ifPresent(result::setCombinedOutcome);
    return wait.append(audit, result.build()).handle((receipt, err) -> {
      if (err != null) {
        // Nothing is released that is not logged.
        throw new CompletionException(new Rejected(unavailableLog()));
      }
      return receipt;
    });
  }

  private CompletableFuture<List<PartyResult>> fanOut(PreparedQuestion pq, CovenantSet.Loaded loaded,
      List<Decision.Allow> allowed, Credentials credentials, Instant now) {
    Covenant c = loaded.covenant();
    nl.schakel.proto.v1.Question.Builder q = nl.schakel.proto.v1.Question.newBuilder()
        .setQuestionId(pq.queryId())
        .setIssuedAtEpochMs(now.toEpochMilli())
        .setExpiresAtEpochMs(now.plus(QUESTION_LIFETIME).toEpochMilli())
        .setCovenantId(c.id())
        .setCovenantVersion(c.version())
        .setCovenantHash(loaded.hash())
        .setPurpose(pq.purpose())
        .setCaseReference(pq.caseReference().orElse(""))
        .setSubject(pq.subject())
        .setAskerParty(pq.askerParty())
        .setAskerPerson(pq.askerPerson())
        .addAllAskerRoles(pq.askerRoles().stream().sorted().toList())
        .setTraceId(pq.traceId());
    credentials.askerToken().ifPresent(t -> q.setAskerCredential(Credential.newBuilder().setToken(t)));
    credentials.approver().ifPresent(a -> q.setApproverCredential(Credential.newBuilder().setToken(a.token())));
    for (Decision.Allow a : allowed) {
      q.addResponders(ResponderRule.newBuilder()
          .setParty(a.party())
          .setRuleId(a.ruleId())
          .setAnswerKind(Wire.answerKind(a.answer()))
          .addAllCategories(a.categories().stream().sorted().toList()));
    }
    ByteString payload = q.build().toByteString();
    // One signature serves every responder: each node checks it against the gateway's certificate.
    DsseSignature signature = DsseSigner.sign(signingKey, PayloadTypes.QUESTION, payload.toByteArray());
    Envelope envelope = Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION).setPayload(payload)
        .addSignatures(Signature.newBuilder().setKeyid(signature.keyId().value())
            .setSig(ByteString.copyFrom(signature.sig())))
        .build();
    ByteString questionHash = ByteString.copyFrom(sha256(payload.toByteArray()));
    List<CompletableFuture<PartyResult>> calls = new ArrayList<>();
    for (Decision.Allow a : allowed) {
      calls.add(nodes.ask(a.party(), envelope, pq.queryId(), questionHash).thenApply(reply ->
          reply instanceof NodeReply.Answered ans
              ? new PartyResult.Answered(a, ans)
              : new PartyResult.Unavailable(a, ((NodeReply.Unavailable) reply).reason())));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
  }

  // ------------------------------------------------------------------ preparing

  private Prepared prepare(Asker asker, QueryRequest req, String queryId, String traceId, Instant now)
      throws Rejected, Forbidden {
    CovenantSet.Loaded loaded = covenant(req);
    Covenant c = loaded.covenant();
    Purpose purpose = c.purposes().get(req.purpose());
    if (purpose.caseReference().isPresent()) {
      Pattern pattern = purpose.caseReference().get();
      if (req.caseReference().isEmpty()) {
        throw new Rejected(Problem.invalid(List.of(new FieldError("caseReference",
            "is required for purpose " + req.purpose() + " and must match " + pattern.pattern()))));
      }
      if (!pattern.matcher(req.caseReference().get()).matches()) {
        throw new Rejected(Problem.invalid(List.of(new FieldError("caseReference",
            "must match " + pattern.pattern() + " for purpose " + req.purpose()))));
      }
    }
    // The one look at the order of clear identifiers (SequenceWatch keeps none of them), before
    // pseudonymisation hides it. Counted for every question that gets this far, refused or not.
    List<String> flags = req.subject() instanceof QuerySubject.Identified id
        && sequences.observe(asker.party(), asker.person(), id.identifier())
        ? List.of(SEQUENTIAL) : List.of();
    // Pseudonymised as soon as it is known to be needed: nothing after this holds the identifier.
    Subject subject = wireSubject(req.subject());
    ByteString auditPseudonym = req.subject() instanceof QuerySubject.Identified id
        ? ByteString.copyFrom(auditPseudonyms.pseudonymise(id.identifier()).bytes())
        : ByteString.EMPTY;
    if (!c.parties().containsKey(asker.party())) {
      throw new Forbidden(Problem.of(403, "not-a-party", "Not a party to the convenant",
          "Party " + asker.party() + " is not a party to convenant " + c.id() + " v" + c.version()),
          new Prepared(prepared(asker, req, queryId, traceId, now, c, List.of(), subject, auditPseudonym, flags), loaded));
    }
    if (!loaded.evaluator().mayAskAnyone(asker.party(), asker.roles(), req.purpose())) {
      throw new Forbidden(Problem.of(403, "no-rule", "No rule lets you ask",
          "No rule of purpose " + req.purpose() + " in convenant " + c.id() + " v" + c.version()
              + " lets " + asker.party() + " with roles " + asker.roles().stream().sorted().toList() + " ask anyone"),
          new Prepared(prepared(asker, req, queryId, traceId, now, c, List.of(), subject, auditPseudonym, flags), loaded));
    }
    List<String> responders = responders(req, loaded);
    return new Prepared(prepared(asker, req, queryId, traceId, now, c, responders, subject, auditPseudonym, flags), loaded);
  }

  private static PreparedQuestion prepared(Asker asker, QueryRequest req, String queryId, String traceId, Instant now,
      Covenant c, List<String> responders, Subject subject, ByteString auditPseudonym, List<String> flags) {
    return new PreparedQuestion(queryId, traceId, now, asker.party(), asker.person(), asker.roles(), req.purpose(),
        req.caseReference(), c.id(), req.categories(), responders, subject, auditPseudonym, flags);
  }

  private CovenantSet.Loaded covenant(QueryRequest req) throws Rejected {
    try {
      return covenants.forPurpose(req.purpose(), req.covenant(), clock.instant());
    } catch (CovenantSet.NoCovenantException e) {
      String msg = e.getMessage();
      int colon = msg.indexOf(": ");
      throw new Rejected(Problem.invalid(List.of(new FieldError(msg.substring(0, colon), msg.substring(colon + 2)))));
    }
  }

  /** The parties to consider: those named, or every party that declares a category for the subject type. */
  private List<String> responders(QueryRequest req, CovenantSet.Loaded loaded) throws Rejected {
    Covenant c = loaded.covenant();
    List<String> responders = req.responders().isEmpty()
        ? loaded.evaluator().defaultResponders(req.subject().type())
        : req.responders();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < req.responders().size(); i++) {
      if (!c.parties().containsKey(req.responders().get(i))) {
        errors.add(new FieldError("responders[" + i + "]", "is not a party to convenant " + c.id()
            + "; parties: " + c.parties().keySet().stream().sorted().toList()));
      }
    }
    for (int i = 0; i < req.categories().size(); i++) {
      String category = req.categories().get(i);
      boolean declared = responders.stream().map(c.parties()::get).filter(p -> p != null)
          .map(Party::categories).anyMatch(cats -> cats.containsKey(category)
              && cats.get(category).subjects().contains(req.subject().type()));
      if (!declared) {
        errors.add(new FieldError("categories[" + i + "]", "no party considered declares this category for subject type "
            + req.subject().type().yamlName()));
      }
    }
    if (!errors.isEmpty()) {
      throw new Rejected(Problem.invalid(errors));
    }
    return responders;
  }

  private static Question question(Asker asker, QueryRequest req) {
    Optional<AreaLevel> level = req.subject() instanceof QuerySubject.Area a
        ? Optional.of(Wire.areaLevel(a.code().level()))
        : Optional.empty();
    return new Question(asker.party(), asker.roles(), req.purpose(), req.caseReference(), req.subject().type(), level,
        new LinkedHashSet<>(req.categories()));
  }

  private Subject wireSubject(QuerySubject subject) {
    if (subject instanceof QuerySubject.Identified id) {
      return Subject.newBuilder()
          .setType(Wire.subjectType(id.type()))
          .setForm(Wire.form(id.identifier().form()))
          .setPseudonym(ByteString.copyFrom(matching.pseudonymise(id.identifier()).bytes()))
          .build();
    }
    return Subject.newBuilder()
        .setType(nl.schakel.proto.v1.SubjectType.AREA)
        .setForm(nl.schakel.proto.v1.IdentifierForm.CBS_AREA_CODE)
        .setAreaCode(((QuerySubject.Area) subject).code().code())
        .build();
  }

  private static List<Decision.Allow> allows(List<Decision> decisions) {
    return decisions.stream().filter(d -> d instanceof Decision.Allow).map(d -> (Decision.Allow) d).toList();
  }

  // ------------------------------------------------------------------ audit entries and responses

  private static AuditEntry.Builder baseEntry(PreparedQuestion q, CovenantSet.Loaded loaded, Instant now) {
    Covenant c = loaded.covenant();
    AuditEntry.Builder e = AuditEntry.newBuilder()
        .setTimeEpochMs(now.toEpochMilli())
        .setQueryId(q.queryId())
        .setTraceId(q.traceId())
        .setAskerParty(q.askerParty())
        .setAskerPerson(q.askerPerson())
        .addAllAskerRoles(q.askerRoles().stream().sorted().toList())
        .setPurpose(q.purpose())
        .setCaseReference(q.caseReference().orElse(""))
        .setCovenantId(c.id())
        .setCovenantVersion(c.version())
        .setCovenantHash(loaded.hash())
        .setSubjectType(q.subject().getType())
        .setSubjectForm(q.subject().getForm())
        .addAllCategories(q.categories())
        .addAllFlags(q.flags());
    if (q.subject().getType() == nl.schakel.proto.v1.SubjectType.AREA) {
      e.setAreaCode(q.subject().getAreaCode());
    } else {
      e.setSubjectAuditPseudonym(q.auditPseudonym());
    }
    return e;
  }

  private static ResponderEntry decisionEntry(Decision d) {
    if (d instanceof Decision.Allow a) {
      return ResponderEntry.newBuilder().setParty(a.party()).setDecision("allow")
          .setRuleId(a.ruleId()).setAnswerKind(Wire.answerKind(a.answer())).build();
    }
    Decision.Deny n = (Decision.Deny) d;
    return ResponderEntry.newBuilder().setParty(n.party()).setDecision("deny").setReason(n.reason().code()).build();
  }

  /** Exactly what the asker learned about each party: for hit-any, nothing per party. */
  private static ResponderEntry learnedEntry(PartyResult r) {
    if (r instanceof PartyResult.Denied d) {
      return decisionEntry(d.deny());
    }
    if (r instanceof PartyResult.Pending p) {
      return decisionEntry(p.allow()).toBuilder().setReason("four-eyes-required").setLearned("pending-approval").build();
    }
    if (r instanceof PartyResult.NotAdmitted n) {
      return decisionEntry(n.allow()).toBuilder().setReason(n.reason()).setLearned("refused").build();
    }
    if (r instanceof PartyResult.Unavailable u) {
      return decisionEntry(u.allow()).toBuilder()
          .setReason("unavailable").setLearned(u.allow().answer() == AnswerKind.HIT_ANY ? "" : "unavailable").build();
    }
    PartyResult.Answered a = (PartyResult.Answered) r;
    return decisionEntry(a.allow()).toBuilder()
        .setReason(a.reply().answer().getRefusalReason())
        .setLearned(a.allow().answer() == AnswerKind.HIT_ANY ? "" : learned(a.reply().answer()))
        .setAnswerHash(ByteString.copyFrom(sha256(a.reply().envelope().toByteArray()))).build();
  }

  private static String learned(nl.schakel.proto.v1.Answer answer) {
    return switch (answer.getOutcome()) {
      case HIT -> "hit";
      case NO_HIT -> "no-hit";
      case COUNT_RESULT -> "count " + answer.getCount().getDisplay();
      case REFUSED -> "refused";
      default -> "unavailable";
    };
  }

  /**
   * The combined outcome of the hit-any parties that were asked, if any: hit if one hit; otherwise
   * inconclusive if one could not answer, since "no answer" is never "no" (principle 4); otherwise
   * no-hit.
   */
  private static Optional<String> combined(List<PartyResult> results) {
    List<PartyResult> hitAny = results.stream().filter(r ->
        (r instanceof PartyResult.Answered a && a.allow().answer() == AnswerKind.HIT_ANY)
            || (r instanceof PartyResult.Unavailable u && u.allow().answer() == AnswerKind.HIT_ANY)).toList();
    if (hitAny.isEmpty()) {
      return Optional.empty();
    }
    boolean hit = hitAny.stream().anyMatch(r -> r instanceof PartyResult.Answered a
        && a.reply().answer().getOutcome() == Outcome.HIT);
    boolean allSaidNo = hitAny.stream().allMatch(r -> r instanceof PartyResult.Answered a
        && a.reply().answer().getOutcome() == Outcome.NO_HIT);
    return Optional.of(hit ? "hit" : allSaidNo ? "no-hit" : "inconclusive");
  }

  private JsonObject response(PreparedQuestion q, CovenantSet.Loaded loaded, String status, Optional<String> approvalId,
      List<PartyResult> results, AppendResult receipt) {
    Covenant c = loaded.covenant();
    JsonArray answers = new JsonArray();
    for (PartyResult r : results) {
      answers.add(ResponseJson.answer(r, c, q.queryId()));
    }
    JsonObject body = new JsonObject().put("queryId", q.queryId()).put("status", status);
    approvalId.ifPresent(id -> body.put("approvalId", id));
    body.put("covenant", new JsonObject().put("id", c.id()).put("version", c.version())
            .put("hash", Base64.getEncoder().encodeToString(loaded.hash().toByteArray())))
        .put("answers", answers);
    combined(results).ifPresent(o -> body.put("combined", new JsonObject().put("outcome", o)));
    body.put("receipt", ResponseJson.receipt(receipt, audit.log()));
    return body;
  }

  private static Problem unavailableLog() {
    return Problem.of(503, "audit-log-unavailable", "The audit log cannot be written",
        "Nothing was asked: every question must be logged before it is asked. Try again later or contact the operator.");
  }

  static Problem unavailableState() {
    return Problem.of(503, "admission-state-unavailable", "The admission state cannot be written",
        "Nothing was asked: the gateway could not durably record the question's budget charge or approval. "
            + "Try again later or contact the operator.");
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String newTraceId() {
    UUID u = UUID.randomUUID();
    return String.format("%016x%016x", u.getMostSignificantBits(), u.getLeastSignificantBits());
  }
}
