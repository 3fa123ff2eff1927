package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.ResponderEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 10: budgets against enumeration. The demo convenant allows 20 huisverbod questions per
 * analyst per day (sliding), 200 of any purpose per analyst and 2000 per party.
 */
class BudgetTest {
  static final String HUISVERBOD =
      "{\"purpose\":\"huisverbod\",\"caseReference\":\"HV-2026-0012\",\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"}}";

  @TempDir
  Path dir;
  TestFederation fed;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n");
    records.put("veilig-thuis", "person,999990019,melding,2026-01-10,\n");
    fed = new TestFederation(dir, records, Duration.ofSeconds(5), null);
  }

  @AfterEach
  void stop() {
    fed.close();
  }

  String burgemeester(String person) {
    return fed.token("gemeente-oov", person, "burgemeester");
  }

  void askAllowed(String token, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      HttpResponse<String> r = fed.post("/v1/queries", token, HUISVERBOD);
      assertThat(r.statusCode()).as("question %d: %s", i + 1, r.body()).isEqualTo(200);
    }
  }

  @Test
  void the21stHuisverbodQuestionOfADayIsRefusedWith429UntilTheOldestChargeLeavesTheWindow() throws Exception {
    String mayor = burgemeester("b.dijksma");
    askAllowed(mayor, 1);
    fed.clock.advance(Duration.ofHours(1));
    askAllowed(mayor, 19);
    long asked = fed.questionsReceivedByNodes();

    HttpResponse<String> refused = fed.post("/v1/queries", mayor, HUISVERBOD);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    // The first charge leaves the window 23 hours from now.
    assertThat(refused.headers().firstValue("Retry-After")).hasValue(Long.toString(Duration.ofHours(23).toSeconds()));
    JsonObject problem = new JsonObject(refused.body());
    assertThat(problem.getString("type")).isEqualTo("urn:schakel:problem:budget-exhausted");
    assertThat(problem.getString("detail")).contains("20 per analyst per P1D for purpose huisverbod");
    assertThat(refused.body()).doesNotContain("999990019");
    assertThat(fed.questionsReceivedByNodes()).isEqualTo(asked);

    // Another analyst of the same party has a budget of her own.
    askAllowed(burgemeester("b.loco"), 1);

    fed.clock.advance(Duration.ofHours(23));
    askAllowed(mayor, 1);
    HttpResponse<String> again = fed.post("/v1/queries", mayor, HUISVERBOD);
    assertThat(again.statusCode()).isEqualTo(429);
    assertThat(again.headers().firstValue("Retry-After")).hasValue("3600");

    fed.clock.advance(Duration.ofHours(1));
    askAllowed(mayor, 1);
  }

  @Test
  void theFgSeesEveryRefusalForBudgetInTheAuditLog() throws Exception {
    String mayor = burgemeester("b.dijksma");
    askAllowed(mayor, 20);

    fed.post("/v1/queries", mayor, HUISVERBOD);
    fed.post("/v1/queries", mayor, HUISVERBOD);

    List<AuditEntry> entries = fed.auditEntries();
    List<AuditEntry> refusals = entries.stream().filter(e -> e.getStatus().equals("refused")).toList();
    assertThat(refusals).hasSize(2).allSatisfy(e -> {
      assertThat(e.getKind()).isEqualTo(AuditEntry.Kind.RESULT);
      assertThat(e.getAskerPerson()).isEqualTo("b.dijksma");
      assertThat(e.getPurpose()).isEqualTo("huisverbod");
      assertThat(e.getRespondersList().stream().filter(r -> r.getDecision().equals("allow"))
          .map(ResponderEntry::getReason)).containsOnly("budget-exhausted");
    });
    // A refused question is logged but never announced to nodes: no INTENT for it.
    assertThat(entries.stream().filter(e -> e.getKind() == AuditEntry.Kind.INTENT)).hasSize(20);
  }

  @Test
  void chargesSurviveAGatewayRestartOnTheSameStateDirectory() throws Exception {
    String mayor = burgemeester("b.dijksma");
    askAllowed(mayor, 20);

    fed.restartGateway();

    assertThat(fed.post("/v1/queries", mayor, HUISVERBOD).statusCode()).isEqualTo(429);
    assertThat(Files.readAllLines(dir.resolve("state").resolve(BudgetStore.FILE))).hasSize(20)
        .allSatisfy(line -> assertThat(line).doesNotContain("999990019"));
    fed.clock.advance(Duration.ofDays(1));
    askAllowed(mayor, 1);
  }

  @Test
  void explainingInvalidQuestionsAndQuestionsNobodyMayAnswerSpendNoBudget() throws Exception {
    String mayor = burgemeester("b.dijksma");
    for (int i = 0; i < 25; i++) {
      assertThat(fed.post("/v1/queries:explain", mayor, HUISVERBOD).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(fed.post("/v1/queries", mayor, HUISVERBOD.replace("999990019", "999990018")).statusCode())
          .isEqualTo(400);
    }
    String nobodyMayAnswer = HUISVERBOD.replace("}}", "},\"responders\":[\"woningcorporatie\"]}");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = fed.post("/v1/queries", mayor, nobodyMayAnswer);
      assertThat(new JsonObject(r.body()).getString("status")).as(r.body()).isEqualTo("refused");
    }

    askAllowed(mayor, 20);
    assertThat(fed.post("/v1/queries", mayor, HUISVERBOD).statusCode()).isEqualTo(429);
  }
}
