package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.schakel.audit.AuditLog;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.ResponderEntry;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example scenario of the domain description (CONTEXT.md, "Example scenarios") against the
 * demo federation as {@code schakel up} starts it: a copy of deploy/demo on free ports with few
 * synthetic records, whose anchors (docs/federation.md) hold whatever the size. Questions go over
 * real HTTP with tokens from the demo issuer, as an analyst's would.
 *
 * <p>The federation lives on a fixed day inside the convenant's validity, so the scenarios do not
 * depend on when they run; tokens are minted with the real clock, because the gateway's token
 * check (Vert.x) uses it. Each scenario uses its own askers, so budgets do not interfere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoScenariosTest {
  static final Instant TODAY = Instant.parse("2026-11-29T10:00:00Z");
  /** Two weeks after the demo convenant's last day (2027-12-31). */
  static final Instant AFTER_UNTIL = Instant.parse("2028-01-15T10:00:00Z");

  @TempDir
  static Path temp;
  static Path dir;
  static LocalFederation federation;
  static TokenMinter tokens;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void up() throws Exception {
    dir = demoCopy(temp.resolve("demo"));
    federation = LocalFederation.start(dir, Clock.fixed(TODAY, ZoneOffset.UTC), DemoSignaturesTest.PKI_CLOCK, quiet());
    tokens = new TokenMinter(DemoIssuerKey.loadOrCreate(LocalFederation.keysDir(dir)), Clock.systemUTC());
  }

  @AfterAll
  static void down() {
    if (federation != null) {
      federation.close();
    }
  }

  /** deploy/demo without its generated data and run state: ports 0, 200 synthetic records per node. */
  static Path demoCopy(Path target) throws Exception {
    Path demo = Path.of("../deploy/demo");
    Files.createDirectories(target.resolve("covenants"));
    Files.copy(demo.resolve("covenants/zvo-midden.v3.yaml"), target.resolve("covenants/zvo-midden.v3.yaml"));
    Files.writeString(target.resolve("federation.yaml"), Files.readString(demo.resolve("federation.yaml"))
        .replaceAll("port: \\d+", "port: 0")
        .replaceAll("records-per-node: \\d+", "records-per-node: 200"));
    return target;
  }

  static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }

  // ------------------------------------------------------------------ the analyst's side of HTTP

  static String token(String party, String person, String role) {
    return tokens.mint(new AnalystClaims(LocalFederation.issuer("midden"), LocalFederation.AUDIENCE, party, person,
        List.of(role), Duration.ofMinutes(5)));
  }

  static HttpResponse<String> post(LocalFederation fed, String path, String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(fed.gatewayUrl() + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> ask(String token, String body) throws Exception {
    return post(federation, "/v1/queries", token, body);
  }

  static HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(federation.gatewayUrl() + path))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject body(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  static Map<String, JsonObject> byParty(JsonObject response) {
    Map<String, JsonObject> map = new LinkedHashMap<>();
    JsonArray answers = response.getJsonArray("answers");
    for (int i = 0; i < answers.size(); i++) {
      map.put(answers.getJsonObject(i).getString("party"), answers.getJsonObject(i));
    }
    return map;
  }

  static String question(String purpose, String caseReference, String subject) {
    return "{\"purpose\":\"" + purpose + "\",\"caseReference\":\"" + caseReference + "\",\"subject\":" + subject + "}";
  }

  static String person(String bsn) {
    return "{\"type\":\"person\",\"bsn\":\"" + bsn + "\"}";
  }

  static final String HUISVERBOD = question("huisverbod", "HV-2026-0012", person("999990019"));
  static final String OPIUMWET_13B = question("opiumwet-13b", "13B-2026-0001",
      "{\"type\":\"address\",\"bagId\":\"0344200000123456\"}");
  static final String ZVH_CASUS = question("zvh-casus", "ZVH-2026-00042", person("999990019"));
  static final String AREA = question("ondermijning", "RIEC-2026-0007", "{\"type\":\"area\",\"code\":\"BU03440101\"}");
  static final String KVK_AT_TAX_OFFICE = "{\"purpose\":\"ondermijning\",\"caseReference\":\"RIEC-2026-0042\","
      + "\"subject\":{\"type\":\"organisation\",\"kvk\":\"12345678\"},\"responders\":[\"belastingdienst\"]}";

  static List<AuditEntry> auditEntries(AuditLog log) throws Exception {
    List<AuditEntry> entries = new ArrayList<>();
    for (long i = 0; i < log.size(); i++) {
      entries.add(AuditEntry.parseFrom(log.entry(i)));
    }
    return entries;
  }

  // ------------------------------------------------------------------ the scenarios

  @Test
  @Order(1)
  void scenario1_burgemeesterHuisverbodGetsABandedPoliceCountAndAVeiligThuisHitWhileAnOovAdviserIsForbidden()
      throws Exception {
    JsonObject r = body(ask(token("gemeente-oov", "s.burgemeester", "burgemeester"), HUISVERBOD), 200);

    Map<String, JsonObject> a = byParty(r);
    assertThat(r.getString("status")).isEqualTo("complete");
    // Four domestic-violence incidents within five years: the band, never the number.
    assertThat(a.get("politie").getString("outcome")).isEqualTo("count");
    assertThat(a.get("politie").getString("rule")).isEqualTo("R2");
    assertThat(a.get("politie").getJsonObject("count"))
        .isEqualTo(new JsonObject().put("display", "3-5").put("band", new JsonArray().add(3).add(5)));
    assertThat(a.get("veilig-thuis").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("veilig-thuis").getString("rule")).isEqualTo("R3");

    HttpResponse<String> adviser = ask(token("gemeente-oov", "o.adviseur", "oov-adviseur"), HUISVERBOD);

    assertThat(adviser.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(adviser.body()).getString("type")).isEqualTo("urn:schakel:problem:no-rule");
    assertThat(new JsonObject(adviser.body()).getString("detail")).contains("huisverbod").contains("oov-adviseur");
  }

  @Test
  @Order(2)
  void scenario2_opiumwet13bAtABagAddressWaitsForFourEyesThenShowsPoliceLeaseAndMinorsHits() throws Exception {
    String asker = token("gemeente-oov", "a.adviseur", "oov-adviseur");
    long asked = federation.questionsReceivedByNodes();

    JsonObject pending = body(ask(asker, OPIUMWET_13B), 202);

    // Minors registered (social domain, R9) needs four eyes, so the whole question waits.
    assertThat(pending.getString("status")).isEqualTo("pending-approval");
    Map<String, JsonObject> held = byParty(pending);
    assertThat(held.get("sociaal-domein").getString("outcome")).isEqualTo("pending-approval");
    assertThat(held.get("sociaal-domein").getString("rule")).isEqualTo("R9");
    assertThat(held.get("politie").getString("outcome")).isEqualTo("pending-approval");
    assertThat(held.get("woningcorporatie").getString("outcome")).isEqualTo("pending-approval");
    assertThat(federation.questionsReceivedByNodes()).as("nobody is asked before approval").isEqualTo(asked);

    HttpResponse<String> approved = post(federation, "/v1/approvals/" + pending.getString("approvalId"),
        token("gemeente-oov", "b.adviseur", "oov-adviseur"), "{\"decision\":\"approve\",\"comment\":\"13b-dossier\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

    JsonObject result = body(get("/v1/queries/" + pending.getString("queryId"), asker), 200);
    Map<String, JsonObject> a = byParty(result);
    assertThat(a.get("politie").getString("outcome")).isEqualTo("hit");          // drugs, last 12 months
    assertThat(a.get("politie").getString("rule")).isEqualTo("R7");
    assertThat(a.get("woningcorporatie").getString("outcome")).isEqualTo("hit"); // active lease
    assertThat(a.get("woningcorporatie").getString("rule")).isEqualTo("R8");
    assertThat(a.get("sociaal-domein").getString("outcome")).isEqualTo("hit");   // minors registered
    assertThat(a.get("sociaal-domein").getString("rule")).isEqualTo("R9");
  }

  @Test
  @Order(3)
  void scenario4_riecAreaCountsSuppressSmallNumbersAndRoundTheRestToFive() throws Exception {
    JsonObject r = body(ask(token("riec", "r.analist", "analist"), AREA), 200);

    Map<String, JsonObject> a = byParty(r);
    assertThat(a.get("politie").getString("outcome")).isEqualTo("count");
    assertThat(a.get("politie").getJsonObject("count")).isEqualTo(new JsonObject().put("display", "<5")
        .put("band", new JsonArray().add(0).add(4)));
    // Twelve nuisance reports: released as a multiple of five after the node's cell-key noise.
    JsonObject corporatie = a.get("woningcorporatie").getJsonObject("count");
    assertThat(corporatie.getLong("value")).isIn(10L, 15L);
    assertThat(corporatie.getString("display")).isNotEqualTo("12");
    assertThat(r.encode()).doesNotContain("\"12\"");
  }

  @Test
  @Order(4)
  void scenario5_kvkAtTheTaxOfficeIsPendingUntilASecondAnalystApprovesAndARejectionEndsIt() throws Exception {
    String asker = token("riec", "k.analist", "analist");
    String second = token("riec", "l.analist", "analist");

    JsonObject pending = body(ask(asker, KVK_AT_TAX_OFFICE), 202);
    assertThat(pending.getString("status")).isEqualTo("pending-approval");
    assertThat(body(get("/v1/queries/" + pending.getString("queryId"), asker), 200).getString("status"))
        .isEqualTo("pending-approval");
    body(post(federation, "/v1/approvals/" + pending.getString("approvalId"), second,
        "{\"decision\":\"approve\",\"comment\":\"RIEC-casus\"}"), 200);

    JsonObject approved = body(get("/v1/queries/" + pending.getString("queryId"), asker), 200);
    assertThat(approved.getString("status")).isEqualTo("complete");
    assertThat(byParty(approved).get("belastingdienst").getString("outcome")).isEqualTo("hit");

    JsonObject again = body(ask(asker, KVK_AT_TAX_OFFICE), 202);
    body(post(federation, "/v1/approvals/" + again.getString("approvalId"), second,
        "{\"decision\":\"reject\",\"comment\":\"onvoldoende grond\"}"), 200);

    JsonObject rejected = body(get("/v1/queries/" + again.getString("queryId"), asker), 200);
    assertThat(rejected.getString("status")).isEqualTo("refused");
    assertThat(byParty(rejected).get("belastingdienst").getString("outcome")).isEqualTo("refused");
    assertThat(byParty(rejected).get("belastingdienst").getString("reason")).isEqualTo("approval-rejected");
  }

  @Test
  @Order(5)
  void scenario6_theHousingCorporationAnswersButMayNotAskAnything() throws Exception {
    String corporatie = token("woningcorporatie", "w.medewerker", "medewerker");

    for (String q : List.of(ZVH_CASUS, HUISVERBOD, OPIUMWET_13B, AREA, KVK_AT_TAX_OFFICE)) {
      HttpResponse<String> r = ask(corporatie, q);
      assertThat(r.statusCode()).as(q).isEqualTo(403);
      assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("urn:schakel:problem:no-rule");
    }
  }

  @Test
  @Order(6)
  void scenario7_afterTheConvenantsLastDayEveryPartyIsRefusedAsNotInForce() throws Exception {
    try (LocalFederation later = LocalFederation.start(demoCopy(temp.resolve("after-until")),
        Clock.fixed(AFTER_UNTIL, ZoneOffset.UTC), DemoSignaturesTest.PKI_CLOCK, quiet())) {
      TokenMinter laterTokens = new TokenMinter(
          DemoIssuerKey.loadOrCreate(LocalFederation.keysDir(temp.resolve("after-until"))), Clock.systemUTC());
      String procesregisseur = laterTokens.mint(new AnalystClaims(LocalFederation.issuer("midden"),
          LocalFederation.AUDIENCE, "zvh", "p.regisseur", List.of("procesregisseur"), Duration.ofMinutes(5)));

      JsonObject r = body(post(later, "/v1/queries", procesregisseur, ZVH_CASUS), 200);

      assertThat(r.getString("status")).isEqualTo("refused");
      assertThat(byParty(r)).containsKeys("politie", "veilig-thuis", "woningcorporatie", "sociaal-domein",
          "reclassering", "ggz");
      byParty(r).forEach((party, answer) -> {
        assertThat(answer.getString("outcome")).as(party).isEqualTo("refused");
        assertThat(answer.getString("reason")).as(party).isEqualTo("covenant-not-in-force");
      });
      assertThat(later.questionsReceivedByNodes()).isZero();
    }
  }

  @Test
  @Order(7)
  void scenario8_aMunicipalityWithoutAnIssuerInTheFederationIsNotAuthenticatedAndAsksNobody() throws Exception {
    // The federation trusts an issuer only for the parties of its convenanten: a municipality
    // outside them cannot even authenticate, so nothing is charged or logged in its name.
    AuditLog log = federation.auditLog();
    long before = log.size();
    long asked = federation.questionsReceivedByNodes();

    HttpResponse<String> r = ask(token("gemeente-zeist", "z.ambtenaar", "oov-adviseur"), OPIUMWET_13B);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("urn:schakel:problem:unauthenticated");
    assertThat(new JsonObject(r.body()).getString("detail"))
        .contains("no issuer is configured for party 'gemeente-zeist'");
    assertThat(log.size()).isEqualTo(before);
    assertThat(federation.questionsReceivedByNodes()).isEqualTo(asked);
  }

  @Test
  @Order(8)
  void scenario9_aMissingOrMalformedCaseReferenceIs400NamingThePatternAndAsksNobody() throws Exception {
    String procesregisseur = token("zvh", "m.regisseur", "procesregisseur");
    long asked = federation.questionsReceivedByNodes();
    long logged = federation.auditLog().size();

    JsonObject missing = body(ask(procesregisseur,
        "{\"purpose\":\"zvh-casus\",\"subject\":" + person("999990019") + "}"), 400);
    JsonObject malformed = body(ask(procesregisseur, question("zvh-casus", "ZVH-42", person("999990019"))), 400);

    for (JsonObject problem : List.of(missing, malformed)) {
      JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
      assertThat(error.getString("field")).isEqualTo("caseReference");
      assertThat(error.getString("message")).contains("^ZVH-\\d{4}-\\d{5}$");
    }
    assertThat(missing.getJsonArray("errors").getJsonObject(0).getString("message")).contains("is required");
    assertThat(federation.questionsReceivedByNodes()).as("no node asked").isEqualTo(asked);
    assertThat(federation.auditLog().size()).as("malformed requests go to metrics, not the log").isEqualTo(logged);
  }

  @Test
  @Order(9)
  void scenario10_theTwentyFirstHuisverbodQuestionOfTheDayIs429AndTheFgSeesThePatternInTheLog() throws Exception {
    String burgemeester = token("gemeente-oov", "v.burgemeester", "burgemeester");
    for (int i = 1; i <= 20; i++) {
      assertThat(ask(burgemeester, HUISVERBOD).statusCode()).as("question %d", i).isEqualTo(200);
    }

    HttpResponse<String> refused = ask(burgemeester, HUISVERBOD);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(refused.body()).getString("type")).isEqualTo("urn:schakel:problem:budget-exhausted");
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
        s -> assertThat(Long.parseLong(s)).isPositive());
    // The FG reads the log: 21 results for one person and purpose in a day, the last refused for budget.
    List<AuditEntry> results = auditEntries(federation.auditLog()).stream()
        .filter(e -> e.getKind() == AuditEntry.Kind.RESULT && e.getAskerPerson().equals("v.burgemeester"))
        .toList();
    assertThat(results).hasSize(21).allSatisfy(e -> assertThat(e.getPurpose()).isEqualTo("huisverbod"));
    assertThat(results.subList(0, 20)).allSatisfy(e -> assertThat(e.getStatus()).isEqualTo("complete"));
    AuditEntry last = results.get(20);
    assertThat(last.getStatus()).isEqualTo("refused");
    assertThat(last.getRespondersList()).filteredOn(ResponderEntry::getDecision, "allow")
        .extracting(ResponderEntry::getReason).containsOnly("budget-exhausted");
  }

  @Test
  @Order(Integer.MAX_VALUE) // stops a node: runs after every scenario that might ask it
  void scenario3_zvhCasusShowsHitsWithContactsAndGgzSecrecyDistinctFromNoHitAndUnavailable() throws Exception {
    String procesregisseur = token("zvh", "p.regisseur", "procesregisseur");

    Map<String, JsonObject> a = byParty(body(ask(procesregisseur, ZVH_CASUS), 200));

    assertThat(a.get("politie").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("politie").getString("contact")).isEqualTo("Infodesk Politie Midden-Nederland");
    assertThat(a.get("veilig-thuis").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("veilig-thuis").getString("contact")).isEqualTo("Veilig Thuis regio Utrecht, team onderzoek");
    assertThat(a.get("woningcorporatie").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("woningcorporatie").getString("contact")).isEqualTo("Mitros, team woonfraude");
    assertThat(a.get("sociaal-domein").getString("outcome")).isEqualTo("hit");
    assertThat(a.get("reclassering").getString("outcome")).isEqualTo("no-hit");
    assertThat(a.get("ggz").getString("outcome")).isEqualTo("refused");
    assertThat(a.get("ggz").getString("reason")).isEqualTo("secrecy");
    assertThat(a.get("ggz").getString("detail")).isEqualTo("Medisch beroepsgeheim (WGBO art. 7:457 BW)");

    federation.stopNode("reclassering");
    JsonObject partial = body(ask(procesregisseur, ZVH_CASUS), 200);

    assertThat(partial.getString("status")).isEqualTo("partial");
    Map<String, JsonObject> b = byParty(partial);
    assertThat(b.get("reclassering").getString("outcome")).isEqualTo("unavailable");
    assertThat(b.get("ggz").getString("outcome")).isEqualTo("refused");
    assertThat(b.get("ggz").getString("reason")).isEqualTo("secrecy");
    assertThat(b.get("politie").getString("outcome")).isEqualTo("hit");
  }
}
