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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node needs before it answers anything: its own convenants and its own cell-key secret. */
class NodeStartTest {
  static final Clock CLOCK = Clock.fixed(TestNode.NOW, ZoneOffset.UTC);

  @TempDir
  Path dir;

  NodeConfig config(String party, List<Path> covenants) throws IOException {
    Path csv = dir.resolve("records.csv");
    Files.writeString(csv, CsvRecordSource.HEADER + "\nperson,999990019,incident.huiselijk-geweld,2025-03-01,\n");
    return new NodeConfig(party, new NodeConfig.Listen("127.0.0.1", 0), new NodeConfig.Source(csv),
        TestNode.matchingKey(dir), covenants);
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

    assertThatThrownBy(() -> Node.start(config("politie", List.of(broken)), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie cannot start")
        .hasMessageMatching("(?s).*zvo-midden\\.v3\\.yaml:\\d+:\\d+ rule R4: responder 'woningcorp' is not a party.*");
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
        base.covenants(), Optional.of(bad));

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
        """;

    NodeConfig withKey = yaml.readValue(common + "cell-key: keys/politie.cell.key\n", NodeConfig.class)
        .resolveAgainst(Path.of("/etc/schakel"));
    NodeConfig withoutKey = yaml.readValue(common, NodeConfig.class).resolveAgainst(Path.of("/etc/schakel"));

    assertThat(withKey.cellKeyFile()).isEqualTo(Path.of("/etc/schakel/keys/politie.cell.key"));
    assertThat(withoutKey.cellKeyFile()).isEqualTo(Path.of("/etc/schakel/keys/cell.key"));
  }
}
