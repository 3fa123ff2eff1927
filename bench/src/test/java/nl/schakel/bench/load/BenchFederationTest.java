package nl.schakel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import nl.schakel.bench.synthetic.PartyProfile;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchFederationTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

  @TempDir Path dir;

  @Test
  void namesRespondersAfterTheDemosPersonHoldingKindsAndNumbersRepeats() {
    assertThat(BenchFederation.profiles(8)).extracting(PartyProfile::party).containsExactly(
        "politie", "veilig-thuis", "woningcorporatie", "sociaal-domein", "reclassering", "ggz", "politie-2",
        "veilig-thuis-2");
  }

  @Test
  void writesAValidConvenantLettingTheAskerAskEveryResponderAndTheirRecords() throws Exception {
    BenchFederation.Written w = BenchFederation.write(dir, 7, 200, 1, TODAY);

    Covenant c = CovenantParser.parse(dir.resolve(w.covenant()));
    assertThat(c.id()).isEqualTo(BenchFederation.COVENANT_ID);
    assertThat(c.rules()).hasSize(1);
    assertThat(c.rules().get(0).responders()).hasSize(7).contains("politie-2");
    assertThat(c.parties()).containsKey(BenchFederation.ASKER_PARTY);
    assertThat(w.csvByParty()).hasSize(7);
    for (Path csv : w.csvByParty().values()) {
      List<String> lines = Files.readAllLines(dir.resolve(csv));
      assertThat(lines.size()).isGreaterThanOrEqualTo(201);
      assertThat(lines.subList(1, lines.size())).allMatch(l -> l.startsWith("person,"));
    }
  }

  @Test
  void samplesHitsFromTheRecordsAndValidMissesDeterministically() throws Exception {
    BenchFederation.Written w = BenchFederation.write(dir, 2, 500, 1, TODAY);
    List<Path> csvs = w.csvByParty().values().stream().map(dir::resolve).toList();

    List<String> sample = Subjects.sample(csvs, 100, 0.5, 42);
    assertThat(sample).hasSize(100).isEqualTo(Subjects.sample(csvs, 100, 0.5, 42));
    sample.forEach(Bsn::parse); // every one passes the elfproef
    String all = Files.readString(csvs.get(0)) + Files.readString(csvs.get(1));
    assertThat(sample.stream().filter(b -> all.contains("person," + b + ",")).count()).isBetween(45L, 55L);
  }
}
