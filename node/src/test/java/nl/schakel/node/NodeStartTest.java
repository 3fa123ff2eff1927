package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantSignatures;
import nl.schakel.covenant.PartySignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node needs before it answers anything: its own convenants and its own cell-key secret. */
class NodeStartTest {
  static final Clock CLOCK = Clock.fixed(TestNode.NOW, ZoneOffset.UTC);

  @TempDir
  Path dir;

  /** A node config holding copies of {@code covenants} signed by every party they name. */
  NodeConfig config(String party, List<Path> covenants) throws IOException {
    return configAsIs(party, new PartySigners(dir).signedCopies(dir, covenants));
  }

  /** A node config holding {@code covenants} with whatever signatures lie beside them. */
  NodeConfig configAsIs(String party, List<Path> covenants) throws IOException {
    Path csv = dir.resolve("records.csv");
    Files.writeString(csv, CsvRecordSource.HEADER + "\nperson,999990019,incident.huiselijk-geweld,2025-03-01,\n");
    return new NodeConfig(party, new NodeConfig.Listen("127.0.0.1", 0), new NodeConfig.Source(csv),
        TestNode.matchingKey(dir), covenants, new PartySigners(dir).partyKeys(), TestPki.in(dir).nodePki(party));
  }

  /** A copy of the demo convenant in the test directory, not signed by anyone yet. */
  Path demoCopy() throws IOException {
    Path copy = Files.createDirectories(dir.resolve("covenants")).resolve("zvo-midden.v3.yaml");
    Files.copy(TestNode.DEMO, copy);
    return copy;
  }

  @Test
  void refusesToStartWithoutAConvenant() {
    assertThatThrownBy(() -> Node.start(config("politie", List.of()), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie holds no convenant")
        .hasMessageContaining("covenants:");
  }

  @Test
  void refusesToStartOnAnInvalidConvenantNamingFileLineAndColumn() throws IOException {
    Path broken = dir.resolve("zvo-midden.v3.yaml");
    Files.writeString(broken, Files.readString(TestNode.DEMO)
        .replace("responders: [politie, woningcorporatie]", "responders: [politie, woningcorp]"));

    // An invalid file cannot be signed at all; it fails before its signatures are looked at.
    assertThatThrownBy(() -> Node.start(configAsIs("politie", List.of(broken)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie cannot start")
        .hasMessageMatching("(?s).*zvo-midden\\.v3\\.yaml:\\d+:\\d+ rule R4: responder 'woningcorp' is not a party.*");
  }

  @Test
  void refusesToStartWithAConvenantNobodySigned() throws IOException {
    Path unsigned = demoCopy();

    assertThatThrownBy(() -> Node.start(configAsIs("politie", List.of(unsigned)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie cannot start")
        .hasMessageContaining(unsigned.toString())
        .hasMessageContaining("(zvo-midden v3) is not signed by every party it names")
        .hasMessageContaining("missing signatures: gemeente-oov, zvh, riec, politie, veilig-thuis, woningcorporatie,"
            + " sociaal-domein, reclassering, belastingdienst, ggz");
  }

  @Test
  void refusesToStartWithAConvenantSomePartiesHaveNotSignedEvenIfItsOwnPartyDid() throws IOException {
    Path partly = demoCopy();
    List<String> allButTwo = PartySigners.parties(partly).stream()
        .filter(p -> !p.equals("zvh") && !p.equals("ggz")).toList();
    new PartySigners(dir).signAs(partly, allButTwo);

    assertThatThrownBy(() -> Node.start(configAsIs("politie", List.of(partly)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("zvo-midden.v3.yaml (zvo-midden v3) is not signed by every party it names")
        .hasMessageContaining("missing signatures: zvh, ggz.");
  }

  @Test
  void refusesToStartWhenAPartysLineIsSignedWithAnotherPartysKey() throws Exception {
    Path forged = demoCopy();
    PartySigners signers = new PartySigners(dir);
    signers.signAs(forged, PartySigners.parties(forged));
    // The RIEC signs in the Zorg- en Veiligheidshuis's name: a party cannot sign for another.
    var covenant = CovenantParser.parse(forged);
    Path sigs = CovenantSignatures.sigsFileFor(forged);
    CovenantSignatures.read(sigs, covenant)
        .with(PartySignature.sign(covenant, "zvh", signers.key("riec")))
        .writeTo(sigs);

    assertThatThrownBy(() -> Node.start(configAsIs("politie", List.of(forged)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not signed by every party it names")
        .hasMessageContaining("invalid signature of zvh: signed with key " + signers.key("riec").keyId())
        .hasMessageNotContaining("missing signatures");
  }

  @Test
  void refusesToStartWithAConvenantChangedAfterEveryPartySignedItNamingTheParties() throws IOException {
    Path tampered = demoCopy();
    new PartySigners(dir).signAs(tampered, PartySigners.parties(tampered));
    // After signing, someone widens the police's band into an exact count.
    Files.writeString(tampered, Files.readString(tampered)
        .replace("disclosure: {bands: [0, 1, 3, 6]}", "disclosure: {bands: [0, 1, 2, 3, 4, 5, 6]}"));

    assertThatThrownBy(() -> Node.start(configAsIs("politie", List.of(tampered)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie cannot start")
        .hasMessageContaining("zvo-midden.v3.yaml (zvo-midden v3) was changed after it was signed")
        .hasMessageContaining("the signatures of gemeente-oov, zvh, riec, politie, veilig-thuis, woningcorporatie,"
            + " sociaal-domein, reclassering, belastingdienst, ggz do not match its text");
  }

  @Test
  void refusesToStartWithoutItsPartyKeysDirectory() throws IOException {
    NodeConfig base = config("politie", List.of(TestNode.DEMO));
    NodeConfig config = new NodeConfig(base.party(), base.listen(), base.source(), base.matchingKey(),
        base.covenants(), dir.resolve("no-such-dir"), base.pki());

    assertThatThrownBy(() -> Node.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie cannot start: party-keys: key directory")
        .hasMessageContaining("no-such-dir");
  }

  @Test
  void refusesToStartWhenNoConvenantNamesItsParty() {
    assertThatThrownBy(() -> Node.start(config("brandweer", List.of(TestNode.DEMO)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("none of its convenants (zvo-midden v3) names party 'brandweer'");
  }

  @Test
  void refusesToStartWhenOneVersionIsHeldTwice() throws IOException {
    Path copy = dir.resolve("copy.yaml");
    Files.copy(TestNode.DEMO, copy);

    assertThatThrownBy(() -> Node.start(config("politie", List.of(TestNode.DEMO, copy)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("zvo-midden v3 is held twice");
  }

  @Test
  void createsItsCellKeyBesideTheMatchingKeyOnceAndKeepsIt() throws Exception {
    NodeConfig config = config("politie", List.of(TestNode.DEMO));
    Path cellKey = dir.resolve("cell.key");
    Files.delete(cellKey);

    Node.start(config, CLOCK).close();
    String created = Files.readString(cellKey);
    Node.start(config, CLOCK).close();

    assertThat(config.cellKeyFile()).isEqualTo(cellKey);
    assertThat(Files.readString(cellKey)).isEqualTo(created);
    assertThat(created.strip()).hasSize(44); // base64 of 32 bytes
  }

  @Test
  void refusesToStartWithACellKeyFileThatIsNotAKey() throws Exception {
    NodeConfig base = config("politie", List.of(TestNode.DEMO));
    Path bad = dir.resolve("bad.key");
    Files.writeString(bad, "not a key\n");
    NodeConfig config = new NodeConfig(base.party(), base.listen(), base.source(), base.matchingKey(),
        base.covenants(), base.partyKeys(), Optional.of(bad), base.pki());

    assertThatThrownBy(() -> Node.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad.key")
        .hasMessageNotContaining("not a key");
  }

  @Test
  void readsAnOptionalCellKeyPathFromNodeYamlRelativeToTheFile() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String common = """
        party: politie
        listen: {port: 0}
        source: {csv: data/politie.csv}
        matching-key: keys/matching.key
        covenants: [covenants/zvo-midden.v3.yaml]
        party-keys: keys/party-keys
        state-dir: state/politie
        pki: {credentials: pki/politie, ca: pki/ca/ca.cert.pem, gateway-signing-cert: pki/gateway/signing.cert.pem}
        """;

    NodeConfig withKey = yaml.readValue(common + "cell-key: keys/politie.cell.key\n", NodeConfig.class)
        .resolveAgainst(Path.of("/etc/schakel"));
    NodeConfig withoutKey = yaml.readValue(common, NodeConfig.class).resolveAgainst(Path.of("/etc/schakel"));

    assertThat(withKey.cellKeyFile()).isEqualTo(Path.of("/etc/schakel/keys/politie.cell.key"));
    assertThat(withoutKey.cellKeyFile()).isEqualTo(Path.of("/etc/schakel/keys/cell.key"));
    assertThat(withKey.partyKeys()).isEqualTo(Path.of("/etc/schakel/keys/party-keys"));
    assertThat(withKey.stateDir()).isEqualTo(Path.of("/etc/schakel/state/politie"));
    assertThat(withKey.pki()).isEqualTo(new NodeConfig.Pki(Path.of("/etc/schakel/pki/politie"),
        Path.of("/etc/schakel/pki/ca/ca.cert.pem"), Path.of("/etc/schakel/pki/gateway/signing.cert.pem")));
  }

  @Test
  void readsEachAskingPartysIssuerFromNodeYamlRelativeToTheFile() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    NodeConfig config = yaml.readValue("""
        party: politie
        listen: {port: 0}
        source: {csv: data/politie.csv}
        matching-key: keys/matching.key
        party-keys: keys/party-keys
        state-dir: state/politie
        pki: {credentials: pki/politie, ca: pki/ca/ca.cert.pem, gateway-signing-cert: pki/gateway/signing.cert.pem}
        analysts:
          - {party: zvh, issuer: https://login.zvh.example, audience: schakel, keys: [keys/zvh.pem]}
          - {party: riec, issuer: https://login.riec.example, audience: schakel, jwks: keys/riec.jwks.json}
        """, NodeConfig.class).resolveAgainst(Path.of("/etc/schakel"));

    assertThat(config.analysts()).containsExactly(
        new NodeConfig.Analysts("zvh", "https://login.zvh.example", "schakel", List.of(Path.of("/etc/schakel/keys/zvh.pem")),
            Optional.empty()),
        new NodeConfig.Analysts("riec", "https://login.riec.example", "schakel", List.of(),
            Optional.of(Path.of("/etc/schakel/keys/riec.jwks.json"))));
  }

  @Test
  void doesNotStartWhenAnAnalystIssuerKeyIsUnusable() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("zvh.pem"), "not a key");
    NodeConfig config = config("politie", List.of(TestNode.DEMO)).withAnalysts(List.of(
        new NodeConfig.Analysts("zvh", TestNode.ISSUER, TestNode.AUDIENCE, List.of(notAKey), Optional.empty())));

    assertThatThrownBy(() -> Node.start(config, CLOCK))
        .hasMessageContaining("node politie cannot start: analysts of party zvh")
        .hasMessageContaining("zvh.pem");
  }

  @Test
  void doesNotStartWithTwoIssuersForOneParty() throws Exception {
    Path pem = TestNode.issuerKey(dir).publicKeyPem();
    var zvh = new NodeConfig.Analysts("zvh", TestNode.ISSUER, TestNode.AUDIENCE, List.of(pem), Optional.empty());
    NodeConfig config = config("politie", List.of(TestNode.DEMO)).withAnalysts(List.of(zvh, zvh));

    assertThatThrownBy(() -> Node.start(config, CLOCK))
        .hasMessageContaining("node politie cannot start: analysts: party zvh has two issuers");
  }

  @Test
  void nodeYamlMustNameItsStateDir() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String withoutStateDir = """
        party: politie
        listen: {port: 0}
        source: {csv: data/politie.csv}
        matching-key: keys/matching.key
        party-keys: keys/party-keys
        pki: {credentials: pki/politie, ca: pki/ca/ca.cert.pem, gateway-signing-cert: pki/gateway/signing.cert.pem}
        """;

    assertThatThrownBy(() -> yaml.readValue(withoutStateDir, NodeConfig.class))
        .hasMessageContaining("state-dir");
  }

  @Test
  void nodeYamlMustNamePartyKeys() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String withoutPartyKeys = """
        party: politie
        listen: {port: 0}
        source: {csv: data/politie.csv}
        matching-key: keys/matching.key
        covenants: [covenants/zvo-midden.v3.yaml]
        """;

    assertThatThrownBy(() -> yaml.readValue(withoutPartyKeys, NodeConfig.class))
        .hasMessageContaining("party-keys");
  }

  @Test
  void refusesToStartWithCredentialsOfAnotherCa() throws Exception {
    NodeConfig base = config("politie", List.of(TestNode.DEMO));
    NodeConfig.Pki foreign = new NodeConfig.Pki(TestPki.foreign(dir).party("politie"), base.pki().ca(),
        base.pki().gatewaySigningCert());
    NodeConfig config = new NodeConfig(base.party(), base.listen(), base.source(), base.matchingKey(),
        base.covenants(), base.partyKeys(), foreign);

    assertThatThrownBy(() -> Node.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie cannot start: pki: own certificates")
        .hasMessageContaining("federation CA");
  }

  @Test
  void refusesToStartWithAnotherPartysCredentials() throws Exception {
    NodeConfig base = config("politie", List.of(TestNode.DEMO));
    NodeConfig.Pki riec = TestPki.in(dir).nodePki("riec");
    NodeConfig config = new NodeConfig(base.party(), base.listen(), base.source(), base.matchingKey(),
        base.covenants(), base.partyKeys(), riec);

    assertThatThrownBy(() -> Node.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("are for party riec, expected politie");
  }

  @Test
  void refusesToStartWhenTheGatewaySigningCertificateNamesAnotherParty() throws Exception {
    NodeConfig base = config("politie", List.of(TestNode.DEMO));
    NodeConfig.Pki pki = new NodeConfig.Pki(base.pki().credentials(), base.pki().ca(),
        TestPki.in(dir).party("riec").resolve("signing.cert.pem"));
    NodeConfig config = new NodeConfig(base.party(), base.listen(), base.source(), base.matchingKey(),
        base.covenants(), base.partyKeys(), pki);

    assertThatThrownBy(() -> Node.start(config, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gateway-signing-cert")
        .hasMessageContaining("names party riec, expected gateway");
  }
}
