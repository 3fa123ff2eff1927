package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import nl.schakel.cli.LocalFederationTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schakel verify-answer} on an answer a real node signed in a small local federation, and
 * on copies of it that someone changed afterwards.
 */
class VerifyAnswerCommandTest {
  @TempDir
  static Path dir;
  static LocalFederation federation;
  static JsonObject politie;

  @BeforeAll
  static void up() throws Exception {
    Path demo = Path.of("../deploy/demo");
    Files.createDirectories(dir.resolve("covenants"));
    Files.copy(demo.resolve("covenants/zvo-midden.v3.yaml"), dir.resolve("covenants/zvo-midden.v3.yaml"));
    // A denylist naming a key nobody holds: the generated configs carry it and everything still starts.
    Files.writeString(dir.resolve("revoked-keys.txt"), "# revoked keys\n00000000000000ff\n");
    Files.writeString(dir.resolve("federation.yaml"), """
        federation: midden
        gateway: {port: 0, deadline: PT5S}
        covenants: [covenants/zvo-midden.v3.yaml]
        synthetic: {seed: 20261129, records-per-node: 200}
        nodes:
          - {party: politie, port: 0, source: {csv: data/politie.csv}}
        revoked-keys: revoked-keys.txt
        """);
    federation = LocalFederation.start(dir, Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC),
        DemoSignaturesTest.PKI_CLOCK, new PrintStream(new ByteArrayOutputStream()));
    String token = schakelIn("token", "--dir", dir.toString(), "--party", "zvh", "--role", "procesregisseur",
        "--person", "t.tester").out().strip();
    Run asked = schakelIn("ask", "--gateway", federation.gatewayUrl(), "--token", token,
        "--purpose", "zvh-casus", "--case", "ZVH-2026-00042", "--bsn", "999990019", "--json");
    JsonArray answers = new JsonObject(asked.out()).getJsonArray("answers");
    for (int i = 0; i < answers.size(); i++) {
      if (answers.getJsonObject(i).getString("party").equals("politie")) {
        politie = answers.getJsonObject(i);
      }
    }
  }

  @AfterAll
  static void down() {
    federation.close();
  }

  private static Run schakelIn(String... args) {
    return LocalFederationTest.schakel(args);
  }

  private static Path write(String name, JsonObject json) throws Exception {
    return Files.writeString(dir.resolve(name), json.encodePrettily());
  }

  private static Run verify(Path answer, String... more) {
    String[] base = {"verify-answer", "--answer", answer.toString(),
        "--ca", dir.resolve("run/pki/ca/ca.cert.pem").toString(),
        "--cert", dir.resolve("run/pki/politie/signing.cert.pem").toString()};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return schakelIn(args);
  }

  @Test
  void acceptsAnAnswerAsTheNodeSignedItAndPrintsWhatItSays() throws Exception {
    Run run = verify(write("answer.json", politie));

    assertThat(run.exit()).as(run.err()).isEqualTo(Exits.OK);
    assertThat(run.out())
        .contains("VALID answer")
        .containsPattern("question:\\s+\\S+")
        .containsPattern("party:\\s+politie")
        .containsPattern("rule:\\s+" + politie.getString("rule"))
        .containsPattern("outcome:\\s+" + politie.getString("outcome"))
        .containsPattern("convenant:\\s+[0-9a-f]{64}")
        .containsPattern("answered at:\\s+2026-11-29T");
  }

  @Test
  void acceptsABareEnvelopeWithTheParty() throws Exception {
    Run run = verify(write("envelope.json", politie.getJsonObject("envelope")), "--party", "politie");

    assertThat(run.exit()).as(run.err()).isEqualTo(Exits.OK);
    assertThat(run.out()).contains("VALID answer");
  }

  @Test
  void rejectsAnAnswerWhosePayloadWasChangedAfterSigning() throws Exception {
    JsonObject tampered = politie.copy();
    byte[] payload = Base64.getDecoder().decode(tampered.getJsonObject("envelope").getString("payload"));
    payload[payload.length - 1] ^= 1;
    tampered.getJsonObject("envelope").put("payload", Base64.getEncoder().encodeToString(payload));

    Run run = verify(write("tampered.json", tampered));

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("INVALID: signature check failed");
    assertThat(run.out()).doesNotContain("VALID answer");
  }

  @Test
  void checksTheCertificateAtTheGivenTimeInstead() throws Exception {
    Run run = verify(write("answer4.json", politie), "--at", "2099-01-01T00:00:00Z");

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("INVALID: certificate check failed").contains("expired");
  }

  @Test
  void rejectsACertificateOfAnotherParty() throws Exception {
    Run run = schakelIn("verify-answer", "--answer", write("answer2.json", politie).toString(),
        "--ca", dir.resolve("run/pki/ca/ca.cert.pem").toString(),
        "--cert", dir.resolve("run/pki/gateway/signing.cert.pem").toString());

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("INVALID: certificate check failed").contains("names party gateway, expected politie");
  }

  @Test
  void rejectsTheAnswerOnceTheSigningKeyIsRevoked() throws Exception {
    String keyId = politie.getJsonObject("envelope").getJsonArray("signatures").getJsonObject(0).getString("keyid");
    Path denylist = Files.writeString(dir.resolve("revoked-now.txt"), keyId + "\n");

    Run run = verify(write("answer3.json", politie), "--revoked-keys", denylist.toString());

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("INVALID: certificate check failed").contains("key " + keyId).contains("revoked");
  }

  @Test
  void generatedConfigsCarryTheFederationsDenylist() {
    assertThat(dir.resolve("run/config/politie.node.yaml")).content()
        .contains("  revoked-keys: ../../revoked-keys.txt\n");
    assertThat(dir.resolve("run/config/gateway.yaml")).content()
        .contains("  revoked-keys: ../../revoked-keys.txt\n");
  }
}
