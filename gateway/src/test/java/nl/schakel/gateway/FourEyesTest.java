package nl.schakel.gateway;

import nl.schakel.node.TestPki;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.StreamObserver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.identifier.KvkNumber;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5: a RIEC analyst asks the tax office about a KvK number; rule R5 needs four eyes, so
 * the question waits until a second analyst approves, and a rejection or 24 hours end it.
 */
class FourEyesTest {
  static final String KVK = "12345678";
  static final String QUESTION = "{\"purpose\":\"ondermijning\",\"caseReference\":\"RIEC-2026-0042\","
      + "\"subject\":{\"type\":\"organisation\",\"kvk\":\"" + KVK + "\"}}";

  @TempDir
  Path dir;
  TestFederation fed;

  @AfterEach
  void stop() {
    if (fed != null) {
      fed.close();
    }
  }

  TestFederation federation() throws Exception {
    Map<String, String> records = new LinkedHashMap<>();
    records.put("belastingdienst", "organisation," + KVK + ",fiscaal-signaal,2026-01-01,\n");
    records.put("politie", "organisation," + KVK + ",signaal.ondermijning,2026-02-02,BU03440101\n");
    fed = new TestFederation(dir, records, Duration.ofSeconds(5), null);
    return fed;
  }

  String analyst(String person) {
    return fed.token("riec", person, "analist");
  }

  JsonObject held(String asker) throws Exception {
    HttpResponse<String> r = fed.post("/v1/queries", asker, QUESTION);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body());
  }

  HttpResponse<String> decide(String token, String approvalId, String decision) throws Exception {
    return fed.post("/v1/approvals/" + approvalId, token, "{\"decision\":\"" + decision + "\",\"comment\":\"checked\"}");
  }

  static Map<String, JsonObject> byParty(JsonObject body) {
    Map<String, JsonObject> map = new LinkedHashMap<>();
    body.getJsonArray("answers").forEach(a -> map.put(((JsonObject) a).getString("party"), (JsonObject) a));
    return map;
  }

  static String problemType(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("type");
  }

  @Test
  void aKvkQuestionAtTheTaxOfficeWaitsForASecondAnalystWhoseApprovalRunsIt() throws Exception {
    federation();
    String asker = analyst("a.analist");
    String second = analyst("b.analist");

    JsonObject pending = held(asker);

    assertThat(pending.getString("status")).isEqualTo("pending-approval");
    String queryId = pending.getString("queryId");
    String approvalId = pending.getString("approvalId");
    Map<String, JsonObject> answers = byParty(pending);
    assertThat(answers.get("belastingdienst").getString("outcome")).isEqualTo("pending-approval");
    assertThat(answers.get("belastingdienst").getString("rule")).isEqualTo("R5");
    assertThat(answers.get("politie").getString("outcome")).isEqualTo("refused");
    assertThat(fed.questionsReceivedByNodes()).isZero();

    JsonArray listed = new JsonObject(fed.get("/v1/approvals?status=pending", second).body()).getJsonArray("approvals");
    assertThat(listed).hasSize(1);
    JsonObject item = listed.getJsonObject(0);
    assertThat(item.getString("approvalId")).isEqualTo(approvalId);
    assertThat(item.getString("queryId")).isEqualTo(queryId);
    assertThat(item.getJsonObject("asker")).isEqualTo(new JsonObject().put("party", "riec").put("person", "a.analist"));
    assertThat(item.getString("purpose")).isEqualTo("ondermijning");
    assertThat(item.getString("caseReference")).isEqualTo("RIEC-2026-0042");
    assertThat(item.getJsonObject("subject")).isEqualTo(new JsonObject().put("type", "organisation"));
    assertThat(item.getJsonArray("rules")).containsExactly("R5");
    assertThat(item.getString("requestedAt")).isEqualTo("2026-11-29T10:00:00Z");
    assertThat(item.getString("expiresAt")).isEqualTo("2026-11-30T10:00:00Z");
    assertThat(listed.encode()).doesNotContain(KVK);

    HttpResponse<String> approved = decide(second, approvalId, "approve");

    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    JsonObject decision = new JsonObject(approved.body());
    assertThat(decision.getString("status")).isEqualTo("complete");
    assertThat(decision.containsKey("answers")).as("the answers are the asker's").isFalse();
    assertThat(fed.nodes.get("belastingdienst").questionsReceived()).isEqualTo(1);

    HttpResponse<String> result = fed.get("/v1/queries/" + queryId, asker);
    assertThat(result.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(result.body());
    assertThat(body.getString("status")).isEqualTo("complete");
    assertThat(byParty(body).get("belastingdienst").getString("outcome")).isEqualTo("hit");
    assertThat(byParty(body).get("belastingdienst").getJsonObject("envelope")).isNotNull();
    assertThat(body.getJsonObject("receipt").getLong("logIndex")).isNotNull();

    assertThat(decide(second, approvalId, "approve").statusCode()).isEqualTo(409);
    assertThat(new JsonObject(fed.get("/v1/approvals?status=pending", second).body()).getJsonArray("approvals"))
        .isEmpty();
  }

  @Test
  void theAskerCannotApproveOwnQuestionNorCanAnyoneOutsideTheRuleSeeOrDecideIt() throws Exception {
    federation();
    String asker = analyst("a.analist");
    String approvalId = held(asker).getString("approvalId");
    String mayor = fed.token("gemeente-oov", "b.dijksma", "burgemeester");
    String riecWithoutRole = fed.token("riec", "c.stagiair", "stagiair");

    HttpResponse<String> self = decide(asker, approvalId, "approve");
    assertThat(self.statusCode()).isEqualTo(403);
    assertThat(problemType(self)).isEqualTo("urn:schakel:problem:self-approval");
    assertThat(decide(mayor, approvalId, "approve").statusCode()).isEqualTo(403);
    assertThat(problemType(decide(riecWithoutRole, approvalId, "reject"))).isEqualTo("urn:schakel:problem:not-an-approver");

    for (String token : List.of(asker, mayor, riecWithoutRole)) {
      assertThat(new JsonObject(fed.get("/v1/approvals", token).body()).getJsonArray("approvals")).isEmpty();
    }
    assertThat(fed.questionsReceivedByNodes()).isZero();
  }

  @Test
  void aRejectionEndsTheQuestionRefusedWithApprovalRejectedAndAsksNobody() throws Exception {
    federation();
    String asker = analyst("a.analist");
    JsonObject pending = held(asker);

    HttpResponse<String> rejected = decide(analyst("b.analist"), pending.getString("approvalId"), "reject");

    assertThat(rejected.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(rejected.body()).getString("status")).isEqualTo("refused");
    JsonObject body = new JsonObject(fed.get("/v1/queries/" + pending.getString("queryId"), asker).body());
    assertThat(body.getString("status")).isEqualTo("refused");
    JsonObject tax = byParty(body).get("belastingdienst");
    assertThat(tax.getString("outcome")).isEqualTo("refused");
    assertThat(tax.getString("reason")).isEqualTo("approval-rejected");
    assertThat(fed.questionsReceivedByNodes()).isZero();
    AuditEntry last = fed.auditEntries().get((int) fed.auditLog.size() - 1);
    assertThat(last.getStatus()).isEqualTo("refused");
    assertThat(last.getApproverPerson()).isEqualTo("b.analist");
    assertThat(last.getApproverParty()).isEqualTo("riec");
    assertThat(last.getAskerPerson()).isEqualTo("a.analist");
  }

  @Test
  void anApprovalExpiresAfter24HoursAndEndsRefused() throws Exception {
    federation();
    String asker = analyst("a.analist");
    String second = analyst("b.analist");
    JsonObject pending = held(asker);

    fed.clock.advance(Duration.ofHours(24));

    HttpResponse<String> late = decide(second, pending.getString("approvalId"), "approve");
    assertThat(late.statusCode()).isEqualTo(410);
    assertThat(problemType(late)).isEqualTo("urn:schakel:problem:approval-expired");
    JsonObject body = new JsonObject(fed.get("/v1/queries/" + pending.getString("queryId"), asker).body());
    assertThat(body.getString("status")).isEqualTo("refused");
    assertThat(byParty(body).get("belastingdienst").getString("reason")).isEqualTo("approval-expired");
    assertThat(new JsonObject(fed.get("/v1/approvals", second).body()).getJsonArray("approvals")).isEmpty();
    assertThat(fed.questionsReceivedByNodes()).isZero();
  }

  @Test
  void aPendingApprovalSurvivesARestartAndCanBeApprovedAfterIt() throws Exception {
    federation();
    String asker = analyst("a.analist");
    JsonObject pending = held(asker);

    fed.restartGateway();

    String second = analyst("b.analist");
    assertThat(new JsonObject(fed.get("/v1/approvals?status=pending", second).body()).getJsonArray("approvals"))
        .hasSize(1);
    assertThat(new JsonObject(fed.get("/v1/queries/" + pending.getString("queryId"), asker).body())
        .getString("status")).isEqualTo("pending-approval");
    assertThat(decide(second, pending.getString("approvalId"), "approve").statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(fed.get("/v1/queries/" + pending.getString("queryId"), asker).body());
    assertThat(byParty(body).get("belastingdienst").getString("outcome")).isEqualTo("hit");
    assertThat(Files.readString(dir.resolve("state").resolve(ApprovalStore.FILE))).doesNotContain(KVK);
  }

  @Test
  void theApprovedQuestionIsTheAskersOwnAndCarriesTheApproversCredential() throws Exception {
    RecordingNode tax = RecordingNode.certified(dir, "belastingdienst");
    fed = new TestFederation(dir, Map.of(), Duration.ofSeconds(5), null, Map.of("belastingdienst", tax));
    String asker = analyst("a.analist");
    String approverToken = analyst("b.analist");
    JsonObject pending = held(asker);
    fed.clock.advance(Duration.ofHours(2));

    assertThat(decide(approverToken, pending.getString("approvalId"), "approve").statusCode()).isEqualTo(200);

    assertThat(tax.questions).hasSize(1);
    Question q = tax.questions.get(0);
    assertThat(q.getQuestionId()).isEqualTo(pending.getString("queryId"));
    assertThat(q.getAskerParty()).isEqualTo("riec");
    assertThat(q.getAskerPerson()).isEqualTo("a.analist");
    assertThat(q.getPurpose()).isEqualTo("ondermijning");
    assertThat(q.getCaseReference()).isEqualTo("RIEC-2026-0042");
    assertThat(q.getApproverCredential().getToken()).isEqualTo(approverToken);
    assertThat(q.getIssuedAtEpochMs()).isEqualTo(TestFederation.NOW.plus(Duration.ofHours(2)).toEpochMilli());
    var matching = HmacPseudonymiser.create(PseudonymKey.readFrom(dir.resolve("keys").resolve("matching.key")),
        Gateway.MATCHING);
    assertThat(q.getSubject().getPseudonym().toByteArray())
        .isEqualTo(matching.pseudonymise(KvkNumber.parse(KVK)).bytes());
    List<AuditEntry> approvedEntries = fed.auditEntries().stream()
        .filter(e -> e.getApproverPerson().equals("b.analist")).toList();
    assertThat(approvedEntries).extracting(AuditEntry::getKind)
        .containsExactly(AuditEntry.Kind.INTENT, AuditEntry.Kind.RESULT);
    assertThat(approvedEntries).allSatisfy(e -> assertThat(e.getAskerPerson()).isEqualTo("a.analist"));
  }

  @Test
  void unknownApprovalsAndOtherPeoplesQuestionsAreNotFoundAndABadDecisionIsInvalid() throws Exception {
    federation();
    String asker = analyst("a.analist");
    String second = analyst("b.analist");
    JsonObject pending = held(asker);

    assertThat(decide(second, "00000000-0000-0000-0000-000000000000", "approve").statusCode()).isEqualTo(404);
    assertThat(decide(second, "not-an-id", "approve").statusCode()).isEqualTo(404);
    assertThat(fed.get("/v1/queries/" + pending.getString("queryId"), second).statusCode()).isEqualTo(404);
    HttpResponse<String> maybe = decide(second, pending.getString("approvalId"), "maybe");
    assertThat(maybe.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(maybe.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("decision");
    assertThat(fed.post("/v1/approvals/" + pending.getString("approvalId"), second,
        "{\"decision\":\"approve\",\"reason\":\"x\"}").statusCode()).isEqualTo(400);
    assertThat(fed.get("/v1/approvals?status=approved", second).statusCode()).isEqualTo(400);
    assertThat(fed.get("/v1/approvals", null).statusCode()).isEqualTo(401);
  }

  @Test
  void aHeldQuestionIsChargedToTheBudgetWhenItIsHeld() throws Exception {
    federation();
    held(analyst("a.analist"));

    assertThat(Files.readAllLines(dir.resolve("state").resolve(BudgetStore.FILE))).hasSize(1);
  }

  /**
   * A node that records every question and answers hit, signed with {@code key}: the party's
   * certified key for a node the gateway accepts, another key for one it must not believe.
   */
  static final class RecordingNode extends NodeServiceGrpc.NodeServiceImplBase {
    final List<Question> questions = new CopyOnWriteArrayList<>();
    final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    private final String party;
    private final nl.schakel.trust.sign.SigningKey key;

    RecordingNode(String party, nl.schakel.trust.sign.SigningKey key) {
      this.party = party;
      this.key = key;
    }

    /** A recording node signing with {@code party}'s certified key from the federation in {@code dir}. */
    static RecordingNode certified(Path dir, String party) throws java.io.IOException {
      return new RecordingNode(party, TestPki.in(dir).credentials(party).signingKey());
    }

    @Override
    public void ask(Envelope request, StreamObserver<Envelope> response) {
      Question q;
      try {
        q = Question.parseFrom(request.getPayload());
      } catch (InvalidProtocolBufferException e) {
        response.onError(e);
        return;
      }
      questions.add(q);
      envelopes.add(request);
      Answer a = Answer.newBuilder().setQuestionId(q.getQuestionId())
          .setQuestionHash(ByteString.copyFrom(QueryService.sha256(request.getPayload().toByteArray())))
          .setParty(party).setRuleId(q.getResponders(0).getRuleId()).setOutcome(Outcome.HIT).build();
      var sig = nl.schakel.trust.sign.DsseSigner.sign(key, PayloadTypes.ANSWER, a.toByteArray());
      response.onNext(Envelope.newBuilder().setPayloadType(PayloadTypes.ANSWER).setPayload(a.toByteString())
          .addSignatures(nl.schakel.proto.v1.Signature.newBuilder().setKeyid(sig.keyId().value())
              .setSig(ByteString.copyFrom(sig.sig())))
          .build());
      response.onCompleted();
    }
  }
}
