package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo federation as a user starts it: {@code schakel up} on a copy of deploy/demo (free
 * ports, fewer records), then {@code schakel token} and {@code schakel ask} as commands, checking
 * what they print and the exit codes scripts rely on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalFederationTest {
  @TempDir
  static Path dir;
  static LocalFederation federation;
  // The federation lives on a fixed day inside the demo convenant's validity; tokens use real time.

  @BeforeAll
  static void up() throws Exception {
    Path demo = Path.of("../deploy/demo");
    Files.createDirectories(dir.resolve("covenants"));
    Files.copy(demo.resolve("covenants/zvo-midden.v3.yaml"), dir.resolve("covenants/zvo-midden.v3.yaml"));
    String fed = Files.readString(demo.resolve("federation.yaml"))
        .replaceAll("port: \\d+", "port: 0")
        .replace("records-per-node: 20000", "records-per-node: 500");
    Files.writeString(dir.resolve("federation.yaml"), fed);
    federation = LocalFederation.start(dir, Clock.fixed(java.time.Instant.parse("2026-11-29T10:00:00Z"), java.time.ZoneOffset.UTC), DemoSignaturesTest.PKI_CLOCK, new PrintStream(new ByteArrayOutputStream()));
  }

  @AfterAll
  static void down() {
    federation.close();
  }

  record Run(int exit, String out, String err) {}

  static Run schakel(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = Schakel.commandLine().execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static String token(String party, String role) {
    Run run = schakel("token", "--dir", dir.toString(), "--party", party, "--role", role, "--person", "t.tester");
    assertThat(run.exit()).as(run.err()).isZero();
    return run.out().strip();
  }

  @Test
  void writesEndpointsOnceEverythingIsUpAndGeneratesDataAndConfigs() throws Exception {
    JsonObject endpoints = new JsonObject(Files.readString(dir.resolve("run/endpoints.json")));

    assertThat(endpoints.getString("gateway")).isEqualTo(federation.gatewayUrl());
    assertThat(endpoints.getJsonObject("nodes").fieldNames()).hasSize(8).contains("politie", "ggz");
    assertThat(dir.resolve("data/politie.csv")).exists();
    assertThat(dir.resolve("run/config/politie.node.yaml")).content().contains("party: politie");
    assertThat(dir.resolve("run/keys/matching.key")).exists();
  }

  @Test
  void askPrintsATableAndExitsZeroWhenEveryAllowedPartyAnswered() {
    Run run = schakel("ask", "--gateway", federation.gatewayUrl(), "--token", token("zvh", "procesregisseur"),
        "--purpose", "zvh-casus", "--case", "ZVH-2026-00042", "--bsn", "999990019");

    assertThat(run.exit()).as(run.err()).isEqualTo(Exits.OK);
    assertThat(run.out()).contains("status complete")
        .containsPattern("politie\\s+hit-per-party\\s+hit\\s+contact: Infodesk Politie Midden-Nederland")
        .containsPattern("ggz\\s+-\\s+refused\\s+secrecy");
  }

  @Test
  void askExitsTwoWhenTheRoleMayNotAsk() {
    Run run = schakel("ask", "--gateway", federation.gatewayUrl(), "--token", token("woningcorporatie", "medewerker"),
        "--purpose", "zvh-casus", "--case", "ZVH-2026-00042", "--bsn", "999990019");

    assertThat(run.exit()).isEqualTo(Exits.REFUSED);
    assertThat(run.err()).contains("HTTP 403");
  }

  @Test
  @Order(Integer.MAX_VALUE) // stops a node: runs after every test that needs all of them
  void askExitsThreeWhenAPartyIsUnavailableAndSaysItIsNotANo() {
    federation.stopNode("reclassering");
    Run run = schakel("ask", "--gateway", federation.gatewayUrl(), "--token", token("zvh", "procesregisseur"),
        "--purpose", "zvh-casus", "--case", "ZVH-2026-00042", "--bsn", "999990032");

    assertThat(run.exit()).isEqualTo(Exits.UNAVAILABLE);
    assertThat(run.out()).containsPattern("reclassering\\s+hit-per-party\\s+UNAVAILABLE\\s+UNKNOWN, not no-hit");
  }

  @Test
  void askExitsOneOnInvalidInputAndNamesTheField() {
    Run run = schakel("ask", "--gateway", federation.gatewayUrl(), "--token", token("zvh", "procesregisseur"),
        "--purpose", "zvh-casus", "--case", "ZVH-2026-00042", "--bsn", "999990018");

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("subject.bsn").contains("elfproef").doesNotContain("999990018");
  }

  @Test
  void askAsJsonPrintsTheGatewayResponse() {
    Run run = schakel("ask", "--gateway", federation.gatewayUrl(), "--token", token("riec", "analist"),
        "--purpose", "ondermijning", "--case", "RIEC-2026-0007", "--area", "BU03440101", "--json");

    assertThat(run.exit()).as(run.err()).isEqualTo(Exits.OK);
    JsonObject json = new JsonObject(run.out());
    assertThat(json.getJsonArray("answers").getJsonObject(0).getJsonObject("count").getString("display")).isEqualTo("<5");
    // The receipt carries the gateway's signed checkpoint (C2SP signed note) covering the entry.
    assertThat(json.getJsonObject("receipt").getString("checkpoint")).startsWith("schakel/midden/gateway\n")
        .contains("\u2014 schakel/midden/gateway ");
  }

  @Test
  void eachNodeTrustsTheDemoIssuerForEveryAskingPartyOnly() {
    assertThat(dir.resolve("run/config/politie.node.yaml")).content()
        .contains("analysts:\n")
        .contains("  - {party: zvh, issuer: schakel-demo/midden, audience: schakel, keys: [../keys/issuer.pub.pem]}")
        .contains("  - {party: riec,")
        .contains("  - {party: gemeente-oov,")
        .doesNotContain("{party: politie,");
  }

  @Test
  void theGatewayTrustsTheDemoIssuerForEveryPartyOfTheConvenanten() {
    assertThat(dir.resolve("run/config/gateway.yaml")).content()
        .contains("analysts:\n")
        .contains("  - {party: zvh, issuer: schakel-demo/midden, audience: schakel, keys: [../keys/issuer.pub.pem]}")
        .contains("  - {party: riec,")
        .contains("  - {party: politie,")
        .contains("  - {party: woningcorporatie,")
        .doesNotContain("{party: gemeente-zeist,");
  }

  @Test
  void theGatewayRefusesATokenClaimingAPartyWithoutIssuer() {
    Run token = schakel("token", "--dir", dir.toString(), "--party", "gemeente-zeist", "--role", "oov-adviseur",
        "--person", "z.ambtenaar");
    Run run = schakel("ask", "--gateway", federation.gatewayUrl(), "--token", token.out().strip(),
        "--purpose", "zvh-casus", "--case", "ZVH-2026-00042", "--bsn", "999990019");

    assertThat(run.exit()).isNotEqualTo(Exits.OK);
    assertThat(run.out() + run.err()).contains("no issuer is configured for party 'gemeente-zeist'");
  }

  @Test
  void theGatewayRefusesATokenLivingLongerThanFiveMinutes() {
    Run token = schakel("token", "--dir", dir.toString(), "--party", "zvh", "--role", "procesregisseur",
        "--person", "t.tester", "--ttl", "PT10M");
    Run run = schakel("ask", "--gateway", federation.gatewayUrl(), "--token", token.out().strip(),
        "--purpose", "zvh-casus", "--case", "ZVH-2026-00042", "--bsn", "999990019");

    assertThat(run.exit()).isNotEqualTo(Exits.OK);
    assertThat(run.err()).contains("HTTP 401").contains("credential-too-long-lived");
    assertThat(run.out()).doesNotContain("no-hit");
  }

  @Test
  void tokenRefusesALifetimeOverTwelveHours() {
    Run run = schakel("token", "--dir", dir.toString(), "--party", "zvh", "--role", "procesregisseur",
        "--person", "t.tester", "--ttl", "P2D");

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).isNotBlank();
  }
}
