package nl.schakel.gateway;

import nl.schakel.node.TestPki;
import nl.schakel.node.PartySigners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.trust.pseudonym.PseudonymKey;
import nl.schakel.trust.token.DemoIssuerKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway enforces only convenant versions every party named in them has signed
 * (ARCHITECTURE.md "Identity, keys and trust"): an unsigned, partly signed or tampered file stops
 * it at start, with a message naming the file and the parties. Of loaded versions, the highest in
 * force wins (COVENANT.md "Versions").
 */
class GatewayStartTest {
  static final Clock CLOCK = Clock.fixed(TestFederation.NOW, ZoneOffset.UTC);
  static final List<String> PARTIES = List.of("gemeente-oov", "zvh", "riec", "politie", "veilig-thuis",
      "woningcorporatie", "sociaal-domein", "reclassering", "belastingdienst", "ggz");

  @TempDir
  Path dir;
  PartySigners signers;
  Path covenant;

  @BeforeEach
  void copyDemoConvenant() throws IOException {
    signers = new PartySigners(dir);
    covenant = Files.createDirectories(dir.resolve("covenants")).resolve("zvo-midden.v3.yaml");
    Files.copy(TestFederation.DEMO_COVENANT, covenant);
  }

  GatewayConfig config(List<Path> covenants) throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    if (!Files.exists(keys.resolve("matching.key"))) {
      PseudonymKey.generate(new SecureRandom()).writeTo(keys.resolve("matching.key"));
      PseudonymKey.generate(new SecureRandom()).writeTo(keys.resolve("audit.key"));
    }
    DemoIssuerKey issuer = DemoIssuerKey.loadOrCreate(keys);
    return new GatewayConfig("test", new GatewayConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(2), List.of(),
        covenants, signers.partyKeys(), keys.resolve("matching.key"), keys.resolve("audit.key"), dir.resolve("audit"),
        List.of(new GatewayConfig.Analysts("zvh", TestFederation.ISSUER, TestFederation.AUDIENCE,
            List.of(issuer.publicKeyPem()), java.util.Optional.empty())), new GatewayConfig.Pki(TestPki.in(dir).party(GatewayPki.GATEWAY), TestPki.in(dir).caCert()));
  }

  @Test
  void startsWithAConvenantEveryPartySigned() throws Exception {
    signers.signAs(covenant, PARTIES);

    Gateway.start(config(List.of(covenant)), CLOCK).close();
  }

  @Test
  void refusesToStartWithAConvenantNobodySigned() {
    assertThatThrownBy(() -> Gateway.start(config(List.of(covenant)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gateway cannot start")
        .hasMessageContaining(covenant + " (zvo-midden v3) is not signed by every party it names")
        .hasMessageContaining("missing signatures: " + String.join(", ", PARTIES));
  }

  @Test
  void refusesToStartWithAConvenantSomePartiesHaveNotSigned() throws Exception {
    signers.signAs(covenant, PARTIES.stream().filter(p -> !p.equals("riec")).toList());

    assertThatThrownBy(() -> Gateway.start(config(List.of(covenant)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("(zvo-midden v3) is not signed by every party it names; missing signatures: riec.");
  }

  @Test
  void refusesToStartWithAConvenantChangedAfterSigningNamingThePartiesWhoseSignaturesBroke() throws Exception {
    signers.signAs(covenant, PARTIES);
    // After signing, the OOV adviser is quietly allowed to ask for huisverbod counts too.
    Files.writeString(covenant, Files.readString(covenant)
        .replace("askers: [gemeente-oov.burgemeester]\n    responders: [politie]",
            "askers: [gemeente-oov.burgemeester, gemeente-oov.oov-adviseur]\n    responders: [politie]"));

    assertThatThrownBy(() -> Gateway.start(config(List.of(covenant)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("zvo-midden.v3.yaml (zvo-midden v3) was changed after it was signed")
        .hasMessageContaining("the signatures of " + String.join(", ", PARTIES) + " do not match its text");
  }

  @Test
  void refusesToStartWithoutItsPartyKeysDirectory() throws Exception {
    signers.signAs(covenant, PARTIES);
    GatewayConfig base = config(List.of(covenant));
    GatewayConfig config = new GatewayConfig(base.federation(), base.listen(), base.deadline(), base.nodes(),
        base.covenants(), dir.resolve("no-such-dir"), base.matchingKey(), base.auditKey(), base.auditLog(),
        base.analysts(), base.pki());

    assertThatThrownBy(() -> Gateway.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gateway cannot start: party-keys: key directory")
        .hasMessageContaining("no-such-dir");
  }

  @Test
  void gatewayYamlMustNamePartyKeys() {
    String yaml = """
        federation: midden
        listen: {port: 0}
        nodes: []
        covenants: [covenants/zvo-midden.v3.yaml]
        matching-key: keys/matching.key
        audit-key: keys/audit.key
        audit-log: audit
        analysts: [{party: zvh, issuer: x, audience: schakel, keys: [keys/issuer.pub.pem]}]
        pki: {credentials: pki/gateway, ca: pki/ca/ca.cert.pem}
        """;

    assertThatThrownBy(() -> new ObjectMapper(new YAMLFactory()).readValue(yaml, GatewayConfig.class))
        .hasMessageContaining("party-keys");
  }

  @Test
  void asksUnderTheHighestVersionInForceNotTheHighestLoaded() throws Exception {
    signers.signAs(covenant, PARTIES);
    Path v4 = covenant.resolveSibling("zvo-midden.v4.yaml");
    Files.writeString(v4, Files.readString(covenant).replace("version: 3", "version: 4")
        .replace("valid: {from: 2026-01-01, until: 2027-12-31}", "valid: {from: 2027-06-01, until: 2028-12-31}"));
    signers.signAs(v4, PARTIES);
    CovenantSet set = CovenantSet.load(List.of(covenant, v4), PartyKeys.readDirectory(signers.partyKeys()));

    assertThat(set.forPurpose("huisverbod", Optional.empty(), TestFederation.NOW).covenant().version()).isEqualTo(3);
    assertThat(set.forPurpose("huisverbod", Optional.empty(), Instant.parse("2027-07-01T10:00:00Z"))
        .covenant().version()).isEqualTo(4);
    // Past every version's end the highest is used, so each party is refused as not in force.
    assertThat(set.forPurpose("huisverbod", Optional.empty(), Instant.parse("2029-01-02T10:00:00Z"))
        .covenant().version()).isEqualTo(4);
  }

  @Test
  void readsPkiAndNodeSigningCertificatesFromGatewayYamlRelativeToTheFile() throws Exception {
    String yaml = """
        federation: midden
        listen: {port: 0}
        nodes: [{party: politie, address: 127.0.0.1:9101, signing-cert: pki/politie/signing.cert.pem}]
        covenants: [covenants/zvo-midden.v3.yaml]
        party-keys: keys/party-keys
        matching-key: keys/matching.key
        audit-key: keys/audit.key
        audit-log: audit
        analysts: [{party: zvh, issuer: x, audience: schakel, keys: [keys/issuer.pub.pem]}]
        pki: {credentials: pki/gateway, ca: pki/ca/ca.cert.pem}
        """;

    GatewayConfig config = new ObjectMapper(new YAMLFactory()).readValue(yaml, GatewayConfig.class)
        .resolveAgainst(Path.of("/etc/schakel"));

    assertThat(config.pki()).isEqualTo(
        new GatewayConfig.Pki(Path.of("/etc/schakel/pki/gateway"), Path.of("/etc/schakel/pki/ca/ca.cert.pem")));
    assertThat(config.nodes().get(0).signingCert()).contains(Path.of("/etc/schakel/pki/politie/signing.cert.pem"));
  }

  @Test
  void refusesToStartWhenANodeSigningCertificateNamesAnotherParty() throws Exception {
    signers.signAs(covenant, PARTIES);
    GatewayConfig base = config(List.of(covenant));
    TestPki pki = TestPki.in(dir);
    GatewayConfig config = new GatewayConfig(base.federation(), base.listen(), base.deadline(),
        List.of(new GatewayConfig.NodeEndpoint("politie", "127.0.0.1:9", java.util.Optional.of(pki.signingCert("riec")))),
        base.covenants(), base.partyKeys(), base.matchingKey(), base.auditKey(), base.auditLog(), base.analysts(),
        base.pki());

    assertThatThrownBy(() -> Gateway.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nodes[politie].signing-cert")
        .hasMessageContaining("names party riec, expected politie");
  }

  @Test
  void refusesToStartWithCredentialsOfAnotherParty() throws Exception {
    signers.signAs(covenant, PARTIES);
    GatewayConfig base = config(List.of(covenant));
    GatewayConfig config = new GatewayConfig(base.federation(), base.listen(), base.deadline(), base.nodes(),
        base.covenants(), base.partyKeys(), base.matchingKey(), base.auditKey(), base.auditLog(), base.analysts(),
        new GatewayConfig.Pki(TestPki.in(dir).party("politie"), base.pki().ca()));

    assertThatThrownBy(() -> Gateway.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("are for party politie, expected gateway");
  }
}
