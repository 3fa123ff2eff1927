package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.proto.v1.AuditEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An analyst walking through BSNs in numeric order is flagged in the log, or refused (decision D19). */
class SequentialIdentifiersTest {
  @TempDir static Path dir;
  static TestFederation fed;
  static Gateway refusing;
  static AuditLog refusingLog;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    fed = new TestFederation(dir.resolve("fed"), Map.of(
        "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n"), Duration.ofSeconds(5), null);
    GatewayConfig c = fed.config;
    GatewayConfig strict = new GatewayConfig(c.federation(), c.listen(), c.deadline(), c.nodes(), c.covenants(),
        c.partyKeys(), c.matchingKey(), c.auditKey(), dir.resolve("strict-audit"), c.analysts(), dir.resolve("strict"),
        c.pki(), c.witnessInterval(), Optional.empty(),
        new GatewayConfig.SequentialIdentifiers(3, Duration.ofHours(1), "refuse"));
    refusing = Gateway.start(strict, fed.clock, options -> {
      refusingLog = FileAuditLog.open(dir.resolve("strict-audit"), options);
      return refusingLog;
    });
  }

  @AfterAll
  static void stop() {
    refusing.close();
    fed.close();
  }

  /** Valid BSNs from {@code start} upwards, in order. */
  private static List<String> bsnsFrom(int start, int count) {
    List<String> out = new ArrayList<>();
    for (int n = start; out.size() < count; n++) {
      String d = String.format("%09d", n);
      int sum = 0;
      for (int i = 0; i < 8; i++) {
        sum += (9 - i) * (d.charAt(i) - '0');
      }
      sum -= d.charAt(8) - '0';
      if (sum != 0 && sum % 11 == 0) {
        out.add(d);
      }
    }
    return out;
  }

  private static HttpResponse<String> ask(Gateway gateway, String token, String bsn) throws Exception {
    String body = "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\","
        + "\"bsn\":\"" + bsn + "\"}}";
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/queries"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void flagsTheFifthBsnInARunButStillAnswersByDefault() throws Exception {
    String token = fed.token("zvh", "s.volger", "procesregisseur");
    List<String> run = bsnsFrom(345_678_000, 5);
    for (String bsn : run) {
      assertThat(ask(fed.gateway, token, bsn).statusCode()).isEqualTo(200);
    }
    List<AuditEntry> mine = fed.auditEntries().stream().filter(e -> e.getAskerPerson().equals("s.volger")).toList();
    assertThat(mine).hasSize(10); // intent + result per question
    assertThat(mine.subList(0, 8)).allSatisfy(e -> assertThat(e.getFlagsList()).isEmpty());
    assertThat(mine.subList(8, 10)).allSatisfy(e ->
        assertThat(e.getFlagsList()).containsExactly("sequential-identifiers"));
    // The flag is all the log says about the run: no identifier, not even a near one, is in it.
    for (String bsn : run) {
      assertThat(mine.toString()).doesNotContain(bsn);
    }
  }

  @Test
  void refusesTheRunWhenConfiguredToAndLogsTheRefusal() throws Exception {
    String token = fed.token("zvh", "r.ij", "procesregisseur");
    List<String> run = bsnsFrom(456_789_000, 3);
    long asked = fed.questionsReceivedByNodes();
    assertThat(ask(refusing, token, run.get(0)).statusCode()).isEqualTo(200);
    assertThat(ask(refusing, token, run.get(1)).statusCode()).isEqualTo(200);
    long askedBefore = fed.questionsReceivedByNodes();
    HttpResponse<String> third = ask(refusing, token, run.get(2));

    assertThat(third.statusCode()).isEqualTo(403);
    JsonObject problem = new JsonObject(third.body());
    assertThat(problem.getString("type")).endsWith("sequential-identifiers");
    assertThat(third.body()).doesNotContain(run.get(2));
    assertThat(fed.questionsReceivedByNodes()).as("nobody is asked").isEqualTo(askedBefore);
    assertThat(askedBefore).isGreaterThan(asked);
    AuditEntry last = AuditEntry.parseFrom(refusingLog.entry(refusingLog.size() - 1));
    assertThat(last.getKind()).isEqualTo(AuditEntry.Kind.RESULT);
    assertThat(last.getStatus()).isEqualTo("refused");
    assertThat(last.getFlagsList()).containsExactly("sequential-identifiers");

    // A colleague asking the next number is not part of this analyst's run.
    String colleague = fed.token("zvh", "c.ollega", "procesregisseur");
    assertThat(ask(refusing, colleague, bsnsFrom(456_789_100, 1).get(0)).statusCode()).isEqualTo(200);
  }
}
