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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import nl.schakel.audit.AppendResult;
import nl.schakel.covenant.AnswerKind;
import nl.schakel.covenant.AreaLevel;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.Party;
import nl.schakel.covenant.Purpose;
import nl.schakel.covenant.Question;
import nl.schakel.covenant.SubjectType;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.ResponderEntry;
import nl.schakel.proto.v1.ResponderRule;
import nl.schakel.proto.v1.Subject;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * One question from the analyst's request to the combined answer: validate it against the
 * convenant, log the intent, ask the allowed nodes in parallel, log the result, and build the
 * response. The order of the steps is the order of ARCHITECTURE.md "The flow of one question".
 */
final class QueryService {
  /** How long a signed question stays valid after the gateway issues it. */
  static final Duration QUESTION_LIFETIME = Duration.ofSeconds(30);
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

  private final CovenantSet covenants;
  private final NodeClients nodes;
  private final Pseudonymiser matching;
  private final Pseudonymiser auditPseudonyms;
  private final AuditTrail audit;
  private final Clock clock;

  QueryService(CovenantSet covenants, NodeClients nodes, Pseudonymiser matching, Pseudonymiser auditPseudonyms,
      AuditTrail audit, Clock clock) {
    this.covenants = covenants;
    this.nodes = nodes;
    this.matching = matching;
    this.auditPseudonyms = auditPseudonyms;
    this.audit = audit;
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

  /** The decisions for one question, before anything is asked. */
  private record Plan(String queryId, String traceId, Instant now, CovenantSet.Loaded covenant,
                      List<Decision> decisions) {}

  CompletableFuture<Reply> ask(Asker asker, QueryRequest req, Optional<String> traceparent) {
    Instant now = clock.instant();
    String queryId = UUID.randomUUID().toString();
    String traceId = traceparent.map(TRACEPARENT::matcher).filter(java.util.regex.Matcher::matches)
        .map(m -> m.group(1)).orElseGet(QueryService::newTraceId);
    Plan plan;
    try {
      plan = plan(asker, req, queryId, traceId, now);
    } catch (Rejected r) {
      return CompletableFuture.failedFuture(r);
    } catch (Forbidden f) {
      // An authenticated, well-formed question that nobody may answer is logged too (principle 5).
      AuditEntry entry = baseEntry(asker, req, f.covenant, queryId, traceId, now)
          .setKind(AuditEntry.Kind.RESULT).setStatus("refused").build();
      return audit.append(entry).handle((ok, err) -> {
        throw new java.util.concurrent.CompletionException(
            new Rejected(err == null ? f.problem : unavailableLog()));
      });
    }
    return execute(asker, req, plan);
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

  private static final class Forbidden extends Exception {
    final Problem problem;
    final CovenantSet.Loaded covenant;

    Forbidden(Problem problem, CovenantSet.Loaded covenant) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
      this.covenant = covenant;
    }
  }

  private Plan plan(Asker asker, QueryRequest req, String queryId, String traceId, Instant now)
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
    if (!c.parties().containsKey(asker.party())) {
      throw new Forbidden(Problem.of(403, "not-a-party", "Not a party to the convenant",
          "Party " + asker.party() + " is not a party to convenant " + c.id() + " v" + c.version()), loaded);
    }
    if (!loaded.evaluator().mayAskAnyone(asker.party(), asker.roles(), req.purpose())) {
      throw new Forbidden(Problem.of(403, "no-rule", "No rule lets you ask",
          "No rule of purpose " + req.purpose() + " in convenant " + c.id() + " v" + c.version()
              + " lets " + asker.party() + " with roles " + asker.roles().stream().sorted().toList() + " ask anyone"), loaded);
    }
    List<String> responders = responders(req, loaded);
    Question q = question(asker, req);
    List<Decision> decisions = new ArrayList<>();
    for (String responder : responders) {
      decisions.add(loaded.evaluator().decide(q, responder, now));
    }
    return new Plan(queryId, traceId, now, loaded, decisions);
  }

  private CovenantSet.Loaded covenant(QueryRequest req) throws Rejected {
    try {
      return covenants.forPurpose(req.purpose(), req.covenant());
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

  private CompletableFuture<Reply> execute(Asker asker, QueryRequest req, Plan plan) {
    Covenant c = plan.covenant().covenant();
    List<Decision.Allow> allowed = new ArrayList<>();
    List<PartyResult.Denied> denied = new ArrayList<>();
    for (Decision d : plan.decisions()) {
      if (d instanceof Decision.Allow a) {
        allowed.add(a);
      } else if (d instanceof Decision.Deny n) {
        denied.add(new PartyResult.Denied(n));
      }
    }
    AuditEntry.Builder base = baseEntry(asker, req, plan.covenant(), plan.queryId(), plan.traceId(), plan.now());
    plan.decisions().forEach(d -> base.addResponders(decisionEntry(d)));
    if (allowed.isEmpty()) {
      AuditEntry result = base.setKind(AuditEntry.Kind.RESULT).setStatus("refused").build();
      return audit.append(result).handle((receipt, err) -> {
        if (err != null) {
          throw new java.util.concurrent.CompletionException(new Rejected(unavailableLog()));
        }
        List<PartyResult> all = List.copyOf(denied);
        return new Reply(200, response(plan, "refused", all, receipt));
      });
    }
    AuditEntry intent = base.clone().setKind(AuditEntry.Kind.INTENT).build();
    return audit.append(intent)
        .exceptionally(err -> {
          throw new java.util.concurrent.CompletionException(new Rejected(unavailableLog()));
        })
        .thenCompose(ignored -> fanOut(asker, req, plan, c, allowed))
        .thenCompose(results -> {
          // Keep the order in which the parties were considered, so answers read predictably.
          List<PartyResult> all = new ArrayList<>();
          int nextAllowed = 0;
          int nextDenied = 0;
          for (Decision d : plan.decisions()) {
            all.add(d instanceof Decision.Allow ? results.get(nextAllowed++) : denied.get(nextDenied++));
          }
          String status = all.stream().anyMatch(r -> r instanceof PartyResult.Unavailable) ? "partial" : "complete";
          AuditEntry.Builder result = base.clone().setKind(AuditEntry.Kind.RESULT).setStatus(status).clearResponders();
          all.forEach(r -> result.addResponders(learnedEntry(r)));
          combined(all).ifPresent(result::setCombinedOutcome);
          return audit.append(result.build()).handle((receipt, err) -> {
            if (err != null) {
              // Nodes were asked but the result could not be logged: release nothing.
              throw new java.util.concurrent.CompletionException(new Rejected(unavailableLog()));
            }
            return new Reply(200, response(plan, status, all, receipt));
          });
        });
  }

  private CompletableFuture<List<PartyResult>> fanOut(Asker asker, QueryRequest req, Plan plan, Covenant c,
      List<Decision.Allow> allowed) {
    nl.schakel.proto.v1.Question.Builder q = nl.schakel.proto.v1.Question.newBuilder()
        .setQuestionId(plan.queryId())
        .setIssuedAtEpochMs(plan.now().toEpochMilli())
        .setExpiresAtEpochMs(plan.now().plus(QUESTION_LIFETIME).toEpochMilli())
        .setCovenantId(c.id())
        .setCovenantVersion(c.version())
        .setCovenantHash(ByteString.copyFrom(c.canonicalHash()))
        .setPurpose(req.purpose())
        .setCaseReference(req.caseReference().orElse(""))
        .setSubject(wireSubject(req.subject()))
        .setAskerParty(asker.party())
        .setAskerPerson(asker.person())
        .addAllAskerRoles(asker.roles().stream().sorted().toList())
        .setTraceId(plan.traceId());
    for (Decision.Allow a : allowed) {
      q.addResponders(ResponderRule.newBuilder()
          .setParty(a.party())
          .setRuleId(a.ruleId())
          .setAnswerKind(Wire.answerKind(a.answer()))
          .addAllCategories(a.categories().stream().sorted().toList()));
    }
    ByteString payload = q.build().toByteString();
    Envelope envelope = Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION).setPayload(payload).build();
    ByteString questionHash = ByteString.copyFrom(sha256(payload.toByteArray()));
    List<CompletableFuture<PartyResult>> calls = new ArrayList<>();
    for (Decision.Allow a : allowed) {
      calls.add(nodes.ask(a.party(), envelope, plan.queryId(), questionHash).thenApply(reply ->
          reply instanceof NodeReply.Answered ans
              ? new PartyResult.Answered(a, ans)
              : new PartyResult.Unavailable(a, ((NodeReply.Unavailable) reply).reason())));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
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

  private AuditEntry.Builder baseEntry(Asker asker, QueryRequest req, CovenantSet.Loaded loaded, String queryId,
      String traceId, Instant now) {
    Covenant c = loaded.covenant();
    AuditEntry.Builder e = AuditEntry.newBuilder()
        .setTimeEpochMs(now.toEpochMilli())
        .setQueryId(queryId)
        .setTraceId(traceId)
        .setAskerParty(asker.party())
        .setAskerPerson(asker.person())
        .addAllAskerRoles(asker.roles().stream().sorted().toList())
        .setPurpose(req.purpose())
        .setCaseReference(req.caseReference().orElse(""))
        .setCovenantId(c.id())
        .setCovenantVersion(c.version())
        .setCovenantHash(ByteString.copyFrom(c.canonicalHash()))
        .setSubjectType(Wire.subjectType(req.subject().type()))
        .addAllCategories(req.categories());
    if (req.subject() instanceof QuerySubject.Identified id) {
      e.setSubjectForm(Wire.form(id.identifier().form()))
          .setSubjectAuditPseudonym(ByteString.copyFrom(auditPseudonyms.pseudonymise(id.identifier()).bytes()));
    } else if (req.subject() instanceof QuerySubject.Area area) {
      e.setSubjectForm(nl.schakel.proto.v1.IdentifierForm.CBS_AREA_CODE).setAreaCode(area.code().code());
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
    if (r instanceof PartyResult.Unavailable u) {
      return ResponderEntry.newBuilder().setParty(u.party()).setDecision("allow")
          .setRuleId(u.allow().ruleId()).setAnswerKind(Wire.answerKind(u.allow().answer()))
          .setReason("unavailable").setLearned(u.allow().answer() == AnswerKind.HIT_ANY ? "" : "unavailable").build();
    }
    PartyResult.Answered a = (PartyResult.Answered) r;
    return ResponderEntry.newBuilder().setParty(a.party()).setDecision("allow")
        .setRuleId(a.allow().ruleId()).setAnswerKind(Wire.answerKind(a.allow().answer()))
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
   * The combined outcome of the hit-any parties, if any: hit if one hit; otherwise inconclusive if
   * one could not answer, since "no answer" is never "no" (principle 4); otherwise no-hit.
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

  private JsonObject response(Plan plan, String status, List<PartyResult> results, AppendResult receipt) {
    Covenant c = plan.covenant().covenant();
    JsonArray answers = new JsonArray();
    for (PartyResult r : results) {
      answers.add(ResponseJson.answer(r, c, plan.queryId()));
    }
    JsonObject body = new JsonObject()
        .put("queryId", plan.queryId())
        .put("status", status)
        .put("covenant", new JsonObject().put("id", c.id()).put("version", c.version())
            .put("hash", Base64.getEncoder().encodeToString(c.canonicalHash())))
        .put("answers", answers);
    combined(results).ifPresent(o -> body.put("combined", new JsonObject().put("outcome", o)));
    body.put("receipt", ResponseJson.receipt(receipt, audit.log()));
    return body;
  }

  private static Problem unavailableLog() {
    return Problem.of(503, "audit-log-unavailable", "The audit log cannot be written",
        "Nothing was asked: every question must be logged before it is asked. Try again later or contact the operator.");
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
