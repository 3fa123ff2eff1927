package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of bad input gets a specific problem+json naming the field, never echoes the
 * identifier, and changes nothing: no node is asked and nothing is logged (principle 7).
 */
class BadInputTest {
  @TempDir
  static Path dir;
  static TestFederation fed;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n");
    records.put("veilig-thuis", "person,999990019,melding,2026-01-10,\n");
    fed = new TestFederation(dir, records, Duration.ofSeconds(5), null);
  }

  @AfterAll
  static void stop() {
    fed.close();
  }

  static String zvh(String subject) {
    return "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":" + subject + "}";
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        Arguments.of("BSN failing the elfproef", zvh("{\"type\":\"person\",\"bsn\":\"999990018\"}"), "subject.bsn", "999990018"),
        Arguments.of("BSN with letters", zvh("{\"type\":\"person\",\"bsn\":\"99999001X\"}"), "subject.bsn", "99999001X"),
        Arguments.of("BSN as a number", zvh("{\"type\":\"person\",\"bsn\":999990019}"), "subject.bsn", "999990019"),
        Arguments.of("malformed postcode", "{\"purpose\":\"opiumwet-13b\",\"caseReference\":\"13B-2026-0001\","
            + "\"subject\":{\"type\":\"address\",\"postcode\":\"0511AB\",\"houseNumber\":12}}", "subject", "0511AB"),
        Arguments.of("house number as text", "{\"purpose\":\"opiumwet-13b\",\"caseReference\":\"13B-2026-0001\","
            + "\"subject\":{\"type\":\"address\",\"postcode\":\"3511AB\",\"houseNumber\":\"12\"}}", "subject.houseNumber", "3511AB"),
        Arguments.of("BAG id too short", "{\"purpose\":\"opiumwet-13b\",\"caseReference\":\"13B-2026-0001\","
            + "\"subject\":{\"type\":\"address\",\"bagId\":\"034420000012345\"}}", "subject.bagId", "034420000012345"),
        Arguments.of("KvK with 7 digits", "{\"purpose\":\"ondermijning\",\"caseReference\":\"RIEC-2026-0001\","
            + "\"subject\":{\"type\":\"organisation\",\"kvk\":\"1234567\"}}", "subject.kvk", "1234567"),
        Arguments.of("malformed CBS code", "{\"purpose\":\"ondermijning\",\"caseReference\":\"RIEC-2026-0001\","
            + "\"subject\":{\"type\":\"area\",\"code\":\"BU0344\"}}", "subject.code", "BU0344"),
        Arguments.of("unknown top-level field", "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\","
            + "\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"},\"reason\":\"curious\"}", "reason", "999990019"),
        Arguments.of("unknown subject field", zvh("{\"type\":\"person\",\"bsn\":\"999990019\",\"name\":\"Jan\"}"), "subject.name", "999990019"),
        Arguments.of("unknown subject type", zvh("{\"type\":\"vehicle\",\"plate\":\"AB-12-CD\"}"), "subject.type", "AB-12-CD"),
        Arguments.of("categories not an array", "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\","
            + "\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"},\"categories\":\"melding\"}", "categories", "999990019"),
        Arguments.of("missing case reference", "{\"purpose\":\"zvh-casus\",\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"}}",
            "caseReference", "999990019"),
        Arguments.of("malformed case reference", zvh("{\"type\":\"person\",\"bsn\":\"999990019\"}").replace("ZVH-2026-00042", "ZVH-42"),
            "caseReference", "999990019"),
        Arguments.of("unknown purpose", zvh("{\"type\":\"person\",\"bsn\":\"999990019\"}").replace("zvh-casus", "nieuwsgierigheid"),
            "purpose", "999990019"),
        Arguments.of("unknown responder", "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\","
            + "\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"},\"responders\":[\"kadaster\"]}", "responders[0]", "999990019"),
        Arguments.of("category nobody declares for persons", "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\","
            + "\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"},\"categories\":[\"incident.drugs\"]}", "categories[0]", "999990019"),
        Arguments.of("duplicate key", "{\"purpose\":\"zvh-casus\",\"purpose\":\"huisverbod\",\"caseReference\":\"ZVH-2026-00042\","
            + "\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"}}", "body", "999990019"),
        Arguments.of("not JSON", "{\"purpose\": zvh-casus, \"bsn\": 999990019", "body", "999990019"),
        Arguments.of("empty body", "", "body", "999990019"),
        Arguments.of("JSON array", "[\"999990019\"]", "body", "999990019"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidBodies")
  void rejectsWithAProblemNamingTheFieldAndAsksNobody(String name, String body, String field, String secret)
      throws Exception {
    long asked = fed.questionsReceivedByNodes();
    long logged = fed.auditLog.size();

    HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"), body);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("type")).isEqualTo("urn:schakel:problem:invalid-request");
    assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .contains(field);
    assertThat(r.body()).doesNotContain(secret);
    assertThat(fed.questionsReceivedByNodes()).isEqualTo(asked);
    assertThat(fed.auditLog.size()).isEqualTo(logged);
  }

  @Test
  void rejectsABodyOver64KiBWith413() throws Exception {
    String huge = zvh("{\"type\":\"person\",\"bsn\":\"999990019\"}").replace("}}", "},\"pad\":\"" + "x".repeat(70_000) + "\"}");

    HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"), huge);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(fed.questionsReceivedByNodes()).isZero();
  }

  @Test
  void rejectsAMissingTokenWith401() throws Exception {
    HttpResponse<String> r = fed.post("/v1/queries", null, zvh("{\"type\":\"person\",\"bsn\":\"999990019\"}"));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void rejectsATokenFromAnotherIssuerKeyWith401() throws Exception {
    var other = nl.schakel.trust.token.DemoIssuerKey.loadOrCreate(dir.resolve("other-keys"));
    String forged = new nl.schakel.trust.token.TokenMinter(other, java.time.Clock.systemUTC()).mint(
        new nl.schakel.trust.token.AnalystClaims(TestFederation.ISSUER, TestFederation.AUDIENCE, "zvh", "mallory",
            java.util.List.of("procesregisseur"), Duration.ofMinutes(5)));

    HttpResponse<String> r = fed.post("/v1/queries", forged, zvh("{\"type\":\"person\",\"bsn\":\"999990019\"}"));

    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void rejectsANonJsonContentTypeWith415() throws Exception {
    var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + fed.gateway.port() + "/v1/queries"))
        .header("Authorization", "Bearer " + fed.token("zvh", "p.jansen", "procesregisseur"))
        .header("Content-Type", "text/plain")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(zvh("{\"type\":\"person\",\"bsn\":\"999990019\"}")))
        .build();

    assertThat(fed.http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
  }
}
