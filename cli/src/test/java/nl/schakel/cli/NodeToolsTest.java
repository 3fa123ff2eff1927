package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.schakel.cli.AuditCommandTest.Run;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schakel node check} and {@code schakel node lookup} on the demo federation as {@code
 * schakel up} starts it: what an operator runs before starting a node, and after a hit.
 */
class NodeToolsTest {
  static final String BSN = "999990019";

  @TempDir
  static Path temp;
  static Path dir;
  static LocalFederation federation;

  @BeforeAll
  static void up() throws Exception {
    dir = DemoScenariosTest.demoCopy(temp.resolve("demo"));
    federation = LocalFederation.start(dir, Clock.fixed(DemoScenariosTest.TODAY, ZoneOffset.UTC),
        DemoSignaturesTest.PKI_CLOCK, DemoScenariosTest.quiet());
    var tokens = new TokenMinter(DemoIssuerKey.loadOrCreate(LocalFederation.keysDir(dir)), Clock.systemUTC());
    String token = tokens.mint(new AnalystClaims(LocalFederation.issuer("midden"), LocalFederation.AUDIENCE, "zvh",
        "p.regisseur", List.of("procesregisseur"), Duration.ofMinutes(5)));
    var asked = DemoScenariosTest.post(federation, "/v1/queries", token, DemoScenariosTest.ZVH_CASUS);
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
    // A valid BSN no partner holds: the police answers no-hit.
    var unknown = DemoScenariosTest.post(federation, "/v1/queries", token,
        DemoScenariosTest.question("zvh-casus", "ZVH-2026-00042", DemoScenariosTest.person("111222333")));
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(200);
  }

  @AfterAll
  static void down() {
    if (federation != null) {
      federation.close();
    }
  }

  static Path config(String party) {
    return dir.resolve("run/config/" + party + ".node.yaml");
  }

  /** The node's own log, read as lookup reads it: without its lock, while the node runs. */
  static List<NodeLogEntry> nodeLog(String party) throws Exception {
    return AuditCrossCheckCommand.readNodeLog(dir.resolve("run/node-state/" + party + "/audit-log"),
        new PrintWriter(new StringWriter()));
  }

  static NodeLogEntry entry(String party, Outcome outcome) throws Exception {
    return nodeLog(party).stream().filter(e -> e.getOutcome() == outcome).findFirst().orElseThrow();
  }

  @Test
  void lookupShowsTheOperatorsOwnRowsBehindAHitInClear() throws Exception {
    NodeLogEntry hit = entry("politie", Outcome.HIT);

    Run r = AuditCommandTest.schakel("node", "lookup", "--config", config("politie").toString(),
        "--answer-ref", hit.getQuestionId());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("question " + hit.getQuestionId(), ": HIT under zvo-midden v3 rule R1",
        "IDENTIFIERS IN CLEAR (formal second step)", "nothing of this leaves the node", "filter: categories of rule R1");
    // Every row shown is a row of the source about this person, by its line number in the CSV.
    List<String> csv = Files.readAllLines(dir.resolve("data/politie.csv"));
    Matcher rows = Pattern.compile("(?m)^\\s+(\\d+)\\s+person\\s+" + BSN + "\\s+(\\S+)\\s+(\\S+)").matcher(r.out());
    List<Integer> shown = new ArrayList<>();
    while (rows.find()) {
      int row = Integer.parseInt(rows.group(1));
      shown.add(row);
      assertThat(csv.get(row - 1)).startsWith("person," + BSN + "," + rows.group(2) + "," + rows.group(3));
    }
    assertThat(shown).isNotEmpty();
    assertThat(r.out()).contains(shown.size() + " row(s) made the answer");
  }

  @Test
  void lookupSaysSoWhenTheAnswerWasNoHit() throws Exception {
    NodeLogEntry noHit = entry("politie", Outcome.NO_HIT);

    Run r = AuditCommandTest.schakel("node", "lookup", "--config", config("politie").toString(),
        "--answer-ref", noHit.getQuestionId());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains(": NO-HIT under zvo-midden v3 rule R1",
        "nothing to show: the answer was no-hit: none of your records matched").doesNotContain("IN CLEAR");
  }

  @Test
  void lookupOfAnUnknownQuestionIdFails() {
    Run r = AuditCommandTest.schakel("node", "lookup", "--config", config("politie").toString(),
        "--answer-ref", "00000000-0000-0000-0000-000000000000");

    assertThat(r.exit()).isEqualTo(Exits.ERROR);
    assertThat(r.err()).contains("no question with id 00000000-0000-0000-0000-000000000000 in the log of node politie");
  }

  @Test
  void checkReportsRecordsPerCategoryFormsAndMemory() throws Exception {
    long rows = Files.readAllLines(dir.resolve("data/politie.csv")).stream().skip(1).filter(l -> !l.isBlank()).count();

    Run r = AuditCommandTest.schakel("node", "check", "--config", config("politie").toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("checking node politie", "config: ok",
        String.format("source politie.csv: %,d rows, %,d accepted, 0 rejected", rows, rows),
        "records per category and subject type:", "incident.huiselijk-geweld", "identifier forms found: ",
        "identifier forms declared: none", "memory: the index takes ",
        String.format("OK: node politie would start and answer from %,d records", rows));
    assertThat(r.out()).containsPattern("(?m)^  incident\\.huiselijk-geweld\\s+person\\s+[0-9,]+$");
  }

  @Test
  void checkListsRejectedRowsByNumberAndReasonWithoutTouchingTheStateDir() throws Exception {
    Path configs = config("politie").getParent();
    Files.writeString(configs.resolve("check.csv"), """
        subject_type,identifier,category,date,area
        person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
        person,999990018,incident.huiselijk-geweld,2025-03-01,
        organisation,12345678,signaal.ondermijning,2026-02-02,
        person,999990032,incident.huiselijk-geweld,1850-01-01,
        """);
    String yaml = Files.readString(config("politie"))
        .replaceFirst("source: \\{csv: [^}]+}", "source: {csv: check.csv}")
        .replaceFirst("state-dir: .*", "state-dir: ../check-state")
        + "identifier-forms: [bsn, cbs-area-code]\n";
    Path checkYaml = Files.writeString(configs.resolve("politie-check.yaml"), yaml);

    Run r = AuditCommandTest.schakel("node", "check", "--config", checkYaml.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("source check.csv: 4 rows, 1 accepted, 3 rejected",
        "  row 3: identifier: ",
        "  row 4: identifier form kvk is not declared in identifier-forms (bsn, cbs-area-code)",
        "  row 5: date lies before 1900-01-01",
        "identifier forms found: bsn", "identifier forms declared: bsn, cbs-area-code",
        "note: state-dir ", "does not exist yet");
    assertThat(r.out()).doesNotContain("999990018").doesNotContain("12345678").doesNotContain("999990032");
    assertThat(configs.resolveSibling("check-state")).doesNotExist();
  }

  @Test
  void checkFailsWithTheNodesOwnMessageWhenTheNodeWouldNotStart() throws Exception {
    Path configs = config("politie").getParent();
    Path broken = Files.writeString(configs.resolve("politie-broken.yaml"), Files.readString(config("politie"))
        .replaceFirst("covenants: \\[[^]]+]", "covenants: [../../covenants/missing.v9.yaml]"));
    Path typo = Files.writeString(configs.resolve("politie-typo.yaml"), Files.readString(config("politie"))
        + "identifer-forms: [bsn]\n");

    Run missing = AuditCommandTest.schakel("node", "check", "--config", broken.toString());
    Run unknownKey = AuditCommandTest.schakel("node", "check", "--config", typo.toString());

    assertThat(missing.exit()).isEqualTo(Exits.ERROR);
    assertThat(missing.err()).startsWith("node would not start: ").contains("missing.v9.yaml");
    assertThat(unknownKey.exit()).isEqualTo(Exits.ERROR);
    assertThat(unknownKey.err()).contains("unknown key 'identifer-forms'");
  }

  @Test
  void nodeWithoutSubcommandStillAsksForItsConfig() {
    Run r = AuditCommandTest.schakel("node");

    assertThat(r.exit()).isEqualTo(Exits.ERROR);
    assertThat(r.err()).contains("Missing required option: '--config=FILE'");
  }
}
