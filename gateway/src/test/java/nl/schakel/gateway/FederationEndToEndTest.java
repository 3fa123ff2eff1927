package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Base64;
import java.util.stream.Collectors;
import nl.schakel.audit.ProofVerifier;
import nl.schakel.proto.v1.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A whole federation answering through the gateway: real nodes over loopback gRPC, the real HTTP
 * API, the demo convenant. Each test is one thing an analyst would notice.
 */
class FederationEndToEndTest {
  static final String KNOWN = "999990019";      // known at politie, veilig-thuis, woningcorporatie, ggz
  static final String UNKNOWN = "999990032";    // known nowhere
  static final String PROBATION = "999990044";  // known only at reclassering

  @TempDir
  static Path dir;
  static TestFederation fed;
  static ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);

    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", """
        person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
        person,999990019,incident.huiselijk-geweld,2024-07-12,BU03440101
        address,0344200000123456,incident.drugs,2026-09-01,BU03440101
        address,3511AB 12,signaal.ondermijning,2026-05-05,BU03440101
        organisation,12345678,signaal.ondermijning,2026-02-02,BU03440101
        organisation,11112222,signaal.ondermijning,2026-02-02,BU03440202
        """);
    records.put("veilig-thuis", "person,999990019,melding,2026-01-10,BU03440101\n");
    records.put("woningcorporatie", "person,999990019,huurcontract,2020-01-01,BU03440101\n"
        + "person,999990044,overlast,2026-03-03,BU03440101\n".repeat(12));
    records.put("sociaal-domein", "person,111222333,schuldhulp,2026-01-01,\n");
    records.put("reclassering", "person,999990044,toezicht,2026-04-04,\n");
    records.put("belastingdienst", "organisation,12345678,fiscaal-signaal,2026-01-01,\n");
    records.put("ggz", "person,999990019,behandeling,2026-01-01,\n");
    fed = new TestFederation(dir, records, Duration.ofSeconds(5), null);
  }

  @AfterAll
  static void stop() {
    fed.close();
  }

  static String procesregisseur() {
    return fed.token("zvh", "p.jansen", "procesregisseur");
  }

  static JsonObject ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  static Map<String, JsonObject> byParty(JsonObject response) {
    JsonArray answers = response.getJsonArray("answers");
    Map<String, JsonObject> map = new LinkedHashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      map.put(answers.getJsonObject(i).getString("party"), answers.getJsonObject(i));
    }
    return map;
  }

  static String personQuery(String bsn) {
    return "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\",\"bsn\":\"" + bsn + "\"}}";
  }

  @Test
  void answersHitPerPartyWithContactsAndShowsWhoMayNotBeAsked() throws Exception {
    JsonObject r = ok(fed.post("/v1/queries", procesregisseur(), personQuery(KNOWN)));

    assertThat(r.getString("status")).isEqualTo("complete");
    Map<String, JsonObject> a = byParty(r);
    assertThat(a.get("politie").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("politie").getString("contact")).isEqualTo("Infodesk Politie Midden-Nederland");
    assertThat(a.get("politie").getString("rule")).isEqualTo("R1");
    assertThat(a.get("politie").getString("answerRef")).isEqualTo(r.getString("queryId") + "/politie");
    assertThat(a.get("veilig-thuis").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("woningcorporatie").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("sociaal-domein").getString("outcome")).isEqualTo("no-hit");
    assertThat(a.get("reclassering").getString("outcome")).isEqualTo("no-hit");
    // Professional secrecy: refused, visibly not a no-hit, in the convenant's own words.
    assertThat(a.get("ggz").getString("outcome")).isEqualTo("refused");
    assertThat(a.get("ggz").getString("reason")).isEqualTo("secrecy");
    assertThat(a.get("ggz").getString("detail")).isEqualTo("Medisch beroepsgeheim (WGBO art. 7:457 BW)");
    assertThat(fed.nodes.get("ggz").questionsReceived()).isZero();
  }

  @Test
  void answersNoHitForAPersonNobodyKnows() throws Exception {
    JsonObject r = ok(fed.post("/v1/queries", procesregisseur(), personQuery(UNKNOWN)));

    assertThat(r.getString("status")).isEqualTo("complete");
    assertThat(byParty(r).values().stream()
        .filter(a -> !"refused".equals(a.getString("outcome")))
        .map(a -> a.getString("outcome")).distinct().toList()).containsExactly("no-hit");
  }

  @Test
  void countsAnAreaWithSmallNumbersSuppressedAndOnlyTheRuleCategories() throws Exception {
    String riec = fed.token("riec", "a.analist", "analist");
    JsonObject r = ok(fed.post("/v1/queries", riec,
        "{\"purpose\":\"ondermijning\",\"caseReference\":\"RIEC-2026-0007\",\"subject\":{\"type\":\"area\",\"code\":\"BU03440101\"}}"));

    Map<String, JsonObject> a = byParty(r);
    // politie has 2 ondermijning signals there (its 3 other records in the area are other categories).
    assertThat(a.get("politie").getString("outcome")).isEqualTo("count");
    assertThat(a.get("politie").getJsonObject("count").getString("display")).isEqualTo("<5");
    assertThat(a.get("politie").getJsonObject("count").containsKey("value")).isFalse();
    // woningcorporatie has 12 nuisance reports there: released rounded to a multiple of 5 after the
    // node's cell-key noise (COVENANT.md, Counts), so 10 or 15 but never the raw 12.
    JsonObject count = a.get("woningcorporatie").getJsonObject("count");
    assertThat(count.getLong("value")).isIn(10L, 15L);
    assertThat(count.getString("display")).isEqualTo(count.getLong("value").toString());
    assertThat(a.get("woningcorporatie").getString("answer")).isEqualTo("count");
  }

  @Test
  void everyAnswerCarriesTheNodesEnvelopeForThisQuestion() throws Exception {
    JsonObject r = ok(fed.post("/v1/queries", procesregisseur(), personQuery(KNOWN)));

    JsonObject envelope = byParty(r).get("politie").getJsonObject("envelope");
    assertThat(envelope.getString("payloadType")).isEqualTo("application/vnd.schakel.answer.v1+protobuf");
    Answer answer = Answer.parseFrom(Base64.getDecoder().decode(envelope.getString("payload")));
    assertThat(answer.getQuestionId()).isEqualTo(r.getString("queryId"));
    assertThat(answer.getParty()).isEqualTo("politie");
  }

  @Test
  void receiptProvesTheResultEntryIsInTheLog() throws Exception {
    JsonObject r = ok(fed.post("/v1/queries", procesregisseur(), personQuery(UNKNOWN)));

    JsonObject receipt = r.getJsonObject("receipt");
    long index = receipt.getLong("logIndex");
    long size = receipt.getLong("treeSize");
    List<byte[]> proof = receipt.getJsonArray("inclusionProof").stream()
        .map(h -> Base64.getDecoder().decode((String) h)).toList();
    ProofVerifier.verifyInclusion(Base64.getDecoder().decode(receipt.getString("leafHash")), index, size, proof,
        Base64.getDecoder().decode(receipt.getString("rootHash")));
    assertThat(fed.auditLog.size()).isGreaterThanOrEqualTo(size);
  }

  @Test
  void refusesAnAskerWhoIsNotAPartyAndLogsIt() throws Exception {
    long before = fed.auditLog.size();
    HttpResponse<String> r = fed.post("/v1/queries", fed.token("gemeente-zeist", "z.ambtenaar", "procesregisseur"),
        personQuery(KNOWN));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("urn:schakel:problem:not-a-party");
    assertThat(fed.auditLog.size()).isEqualTo(before + 1);
  }

  @Test
  void refusesARoleThatNoRuleLetsAsk() throws Exception {
    HttpResponse<String> r = fed.post("/v1/queries", fed.token("gemeente-oov", "o.adviseur", "oov-adviseur"),
        "{\"purpose\":\"huisverbod\",\"caseReference\":\"HV-2026-0012\",\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"}}");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("detail")).contains("huisverbod").contains("oov-adviseur");
  }

  @Test
  void healthAndOpenApiAreServedWithoutAToken() throws Exception {
    assertThat(fed.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = fed.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("auditLog")).isEqualTo("writable");
    HttpResponse<String> openapi = fed.get("/openapi.yaml");
    assertThat(openapi.statusCode()).isEqualTo(200);
    assertThat(openapi.body()).startsWith("openapi: 3.1.0").contains("/v1/queries:");
  }

  @Test
  void noIdentifierEverReachesALogLine() throws Exception {
    fed.post("/v1/queries", procesregisseur(), personQuery(KNOWN));
    fed.post("/v1/queries", procesregisseur(), personQuery(UNKNOWN));
    fed.post("/v1/queries", procesregisseur(), personQuery("999990018")); // fails the elfproef

    String all = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    assertThat(all).isNotEmpty();
    for (String bsn : List.of(KNOWN, UNKNOWN, PROBATION, "999990018", "111222333")) {
      assertThat(all).doesNotContain(bsn);
    }
    assertThat(all).doesNotContain("0344200000123456").doesNotContain("12345678").doesNotContain("3511AB");
  }

}
