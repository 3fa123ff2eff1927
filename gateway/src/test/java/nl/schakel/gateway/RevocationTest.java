package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import nl.schakel.trust.pki.FederationTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The federation's denylist of key ids ({@code pki.revoked-keys}) as the gateway honours it. */
class RevocationTest {
  @TempDir
  Path dir;

  /** {@code fed}'s gateway config with a denylist naming {@code keyIds}. */
  private static GatewayConfig withRevoked(TestFederation fed, String... keyIds) throws IOException {
    Path denylist = fed.dir.resolve("revoked-keys.txt");
    Files.writeString(denylist, "# key ids, one per line\n" + String.join("\n", keyIds) + "\n");
    GatewayConfig c = fed.config;
    return new GatewayConfig(c.federation(), c.listen(), c.deadline(), c.nodes(), c.covenants(), c.partyKeys(),
        c.matchingKey(), c.auditKey(), c.auditLog(), c.analysts(), c.stateDir(),
        new GatewayConfig.Pki(c.pki().credentials(), c.pki().ca(), Optional.of(denylist)));
  }

  /** Restarts {@code fed}'s gateway on {@code config}; the federation closes it. */
  private static void restart(TestFederation fed, GatewayConfig config) throws Exception {
    fed.gateway.close();
    fed.gateway = Gateway.start(config, fed.clock);
  }

  @Test
  void aNodeWhoseSigningKeyIsRevokedIsUnavailableNamingTheKeyAndTheOthersStillAnswer() throws Exception {
    try (TestFederation fed = new TestFederation(dir, FailingPartiesTest.records(), Duration.ofSeconds(5), null)) {
      String revoked = fed.pki.credentials("politie").signingKey().keyId().toString();
      restart(fed, withRevoked(fed, revoked));
      long before = fed.nodes.get("politie").questionsReceived();

      HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"),
          FailingPartiesTest.QUERY);

      assertThat(r.statusCode()).isEqualTo(200);
      Map<String, JsonObject> a = FailingPartiesTest.byParty(r.body());
      assertThat(a.get("politie").getString("outcome")).isEqualTo("unavailable");
      assertThat(a.get("politie").getString("reason")).isEqualTo("signing key " + revoked + " is revoked");
      assertThat(a.get("veilig-thuis").getString("outcome")).isEqualTo("hit");
      // Not even asked: the question does not reach a node whose answer could not count.
      assertThat(fed.nodes.get("politie").questionsReceived()).isEqualTo(before);
    }
  }

  @Test
  void aNodeWhoseTlsKeyIsRevokedIsRefusedAtTheHandshakeNamingTheKey() throws Exception {
    try (TestFederation fed = new TestFederation(dir, FailingPartiesTest.records(), Duration.ofSeconds(5), null)) {
      String revoked = FederationTrust.keyIdOf(fed.pki.credentials("politie").tlsCertificate()).toString();
      restart(fed, withRevoked(fed, revoked));

      HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"),
          FailingPartiesTest.QUERY);

      Map<String, JsonObject> a = FailingPartiesTest.byParty(r.body());
      assertThat(a.get("politie").getString("outcome")).isEqualTo("unavailable");
      assertThat(a.get("politie").getString("reason")).contains("key " + revoked).contains("revoked");
      assertThat(a.get("veilig-thuis").getString("outcome")).isEqualTo("hit");
    }
  }

  @Test
  void refusesToStartWhenItsOwnSigningKeyIsRevoked() throws Exception {
    try (TestFederation fed = new TestFederation(dir, FailingPartiesTest.records(), Duration.ofSeconds(5), null)) {
      String revoked = fed.pki.credentials(GatewayPki.GATEWAY).signingKey().keyId().toString();
      GatewayConfig config = withRevoked(fed, revoked);
      fed.gateway.close();

      assertThatThrownBy(() -> fed.gateway = Gateway.start(config, fed.clock))
          .hasMessageContaining("gateway cannot start: pki: own certificates")
          .hasMessageContaining("key " + revoked + " of party gateway is revoked");
      fed.gateway = Gateway.start(fed.config, fed.clock);
    }
  }

  @Test
  void readsAnOptionalDenylistFromGatewayYaml() throws Exception {
    GatewayConfig.Pki pki = new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(
        "{credentials: pki/gateway, ca: pki/ca/ca.cert.pem, revoked-keys: revoked-keys.txt}", GatewayConfig.Pki.class);

    assertThat(pki.revokedKeys()).contains(Path.of("revoked-keys.txt"));
  }
}
