package nl.schakel.bench.synthetic;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import nl.schakel.bench.synthetic.Rows.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticFederationTest {
  private static final LocalDate REFERENCE = LocalDate.of(2026, 11, 1);
  private static final long SEED = 20261101L;
  private static final int RECORDS = 20_000;
  private static final List<String> DEMO_PARTIES = List.of(
      "politie", "veilig-thuis", "woningcorporatie", "belastingdienst", "ggz", "sociaal-domein",
      "reclassering", "gemeente-oov");

  @TempDir static Path shared;
  private static Map<String, Long> written;
  private static Map<String, List<Row>> demo;
  private static List<Row> all;

  @BeforeAll
  static void generateDemoFederation() throws IOException {
    var federation = new SyntheticFederation(SEED, REFERENCE, SyntheticFederation.demoProfiles());
    written = federation.writeAll(shared.resolve("demo"), RECORDS);
    demo = Rows.read(shared.resolve("demo"), DEMO_PARTIES);
    all = Rows.all(demo);
  }

  @Test
  void writesOneFilePerDemoPartyWithAnchorsOnTopOfTheRequestedRecords() {
    assertThat(written.keySet()).containsExactlyElementsOf(DEMO_PARTIES);
    for (String party : DEMO_PARTIES) {
      long anchors = ScenarioAnchors.records().stream().filter(r -> r.party().equals(party)).count();
      assertThat(demo.get(party)).as(party).hasSize((int) (RECORDS + anchors));
      assertThat(written.get(party)).as(party).isEqualTo(RECORDS + anchors);
    }
  }

  @Test
  void everyPersonHasAValidBsnFromTheTestRange() {
    List<String> bsns = identifiersOf("person");
    assertThat(bsns).isNotEmpty().allSatisfy(bsn -> {
      assertThat(Rows.passesElfproef(bsn)).as("elfproef").isTrue();
      assertThat(bsn).startsWith("9");
    });
  }

  @Test
  void everyAddressIsAUtrechtNummeraanduidingOrAnUtrechtPostalAddress() {
    List<String> addresses = identifiersOf("address");
    long bag = addresses.stream().filter(a -> Rows.UTRECHT_NUMMERAANDUIDING.matcher(a).matches()).count();
    assertThat(addresses).allSatisfy(address -> {
      if (address.length() == 16 && address.chars().allMatch(Character::isDigit)) {
        assertThat(address).matches(Rows.UTRECHT_NUMMERAANDUIDING);
      } else {
        Matcher m = Rows.POSTAL.matcher(address);
        assertThat(m.matches()).as("postal form").isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(3500, 3585);
        assertThat(Integer.parseInt(m.group(3))).isBetween(1, 99_999);
      }
    });
    // Both forms occur in quantity, so both lookup paths of the node get exercised.
    assertThat((double) bag / addresses.size()).isBetween(0.4, 0.8);
    assertThat(addresses).anyMatch(a -> a.matches(".* [0-9]+[A-Z]"))
        .anyMatch(a -> a.matches(".* [0-9]+[A-Z]?-[0-9A-Z]+"));
  }

  @Test
  void everyOrganisationHasAnEightDigitKvkNumber() {
    assertThat(identifiersOf("organisation")).isNotEmpty().allSatisfy(kvk -> assertThat(kvk).matches(Rows.KVK));
  }

  @Test
  void datesSpreadOverTheSixYearsUpToTheReferenceDate() {
    LocalDate earliest = REFERENCE.minusDays(SyntheticFederation.HISTORY_DAYS - 1);
    assertThat(all).allSatisfy(r -> assertThat(r.date()).isBetween(earliest, REFERENCE));
    assertThat(all.stream().map(Row::date).min(LocalDate::compareTo).orElseThrow())
        .isBefore(earliest.plusDays(30));
    assertThat(all.stream().map(Row::date).max(LocalDate::compareTo).orElseThrow())
        .isAfter(REFERENCE.minusDays(30));
    assertThat(REFERENCE.minusYears(6)).isBetween(earliest.minusDays(2), earliest.plusDays(2));
  }

  @Test
  void everyRowUsesACategoryAndSubjectTypeItsPartyHolds() {
    for (PartyProfile profile : SyntheticFederation.demoProfiles()) {
      Set<String> allowed = profile.categories().stream()
          .flatMap(c -> c.subjectTypes().stream().map(t -> c.category() + "/" + t.csvName()))
          .collect(toSet());
      Set<String> seen = demo.get(profile.party()).stream()
          .map(r -> r.category() + "/" + r.type()).collect(toSet());
      assertThat(seen).as(profile.party()).isEqualTo(allowed);
    }
  }

  @Test
  void areasAreUtrechtBuurtenAndMostRowsHaveOne() {
    assertThat(all).allSatisfy(r -> {
      if (!r.area().isEmpty()) {
        assertThat(r.area()).matches(Rows.BUURT).startsWith("BU0344");
      }
    });
    long empty = all.stream().filter(r -> r.area().isEmpty()).count();
    assertThat((double) empty / all.size()).isBetween(0.01, 0.15);
    assertThat(all.stream().map(Row::area).filter(a -> !a.isEmpty()).distinct().count())
        .isBetween(30L, 60L);
  }

  @Test
  void scenarioAnchorsHoldInTheDemoFederation() {
    assertScenarioAnchors(all);
  }

  @Test
  void scenarioAnchorsHoldExactlyForEverySeedAndSize() throws IOException {
    for (long seed : new long[] {1, -3, 7_777_777, Long.MAX_VALUE}) {
      for (int records : new int[] {0, 1, 3_000}) {
        Path dir = shared.resolve("anchors-" + seed + "-" + records);
        new SyntheticFederation(seed, REFERENCE, SyntheticFederation.demoProfiles()).writeAll(dir, records);
        assertScenarioAnchors(Rows.all(Rows.read(dir, DEMO_PARTIES)));
      }
    }
  }

  @Test
  void aMinorityOfPersonsIsKnownAtSeveralParties() {
    Map<String, Set<String>> partiesOfPerson = new HashMap<>();
    for (Row r : all) {
      if (r.type().equals("person")) {
        partiesOfPerson.computeIfAbsent(r.identifier(), k -> new java.util.TreeSet<>()).add(r.party());
      }
    }
    long several = partiesOfPerson.values().stream().filter(p -> p.size() >= 2).count();
    long threeOrMore = partiesOfPerson.values().stream().filter(p -> p.size() >= 3).count();
    assertThat((double) several / partiesOfPerson.size()).isBetween(0.05, 0.15);
    assertThat(threeOrMore).isGreaterThan(100);
    // Every pair of person-holding parties shares someone, not only a favoured few.
    List<String> holders = List.of("politie", "veilig-thuis", "woningcorporatie", "ggz",
        "sociaal-domein", "reclassering");
    for (String a : holders) {
      for (String b : holders) {
        if (a.compareTo(b) < 0) {
          assertThat(partiesOfPerson.values()).as(a + "+" + b)
              .anyMatch(p -> p.contains(a) && p.contains(b));
        }
      }
    }
  }

  @Test
  void incidentsOftenRepeatForTheSameSubject() {
    Map<String, Long> perPerson = demo.get("politie").stream()
        .filter(r -> r.category().equals("incident.huiselijk-geweld"))
        .collect(groupingBy(Row::identifier, counting()));
    long repeated = perPerson.values().stream().filter(n -> n >= 2).count();
    assertThat((double) repeated / perPerson.size()).isBetween(0.25, 0.75);
  }

  @Test
  void sameSeedAndInputsGiveByteIdenticalFiles() throws IOException {
    Path first = shared.resolve("again-1.csv");
    Path second = shared.resolve("again-2.csv");
    new SyntheticFederation(SEED, REFERENCE, SyntheticFederation.demoProfiles()).write("politie", RECORDS, first);
    new SyntheticFederation(SEED, REFERENCE, SyntheticFederation.demoProfiles()).write("politie", RECORDS, second);
    assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
    assertThat(Files.mismatch(first, shared.resolve("demo").resolve("politie.csv"))).isEqualTo(-1L);
  }

  @Test
  void differentSeedGivesADifferentPopulation() throws IOException {
    Path other = shared.resolve("other-seed.csv");
    new SyntheticFederation(SEED + 1, REFERENCE, SyntheticFederation.demoProfiles()).write("politie", RECORDS, other);
    Set<String> mine = demo.get("politie").stream().map(Row::identifier).collect(toSet());
    Set<String> theirs = Rows.read(other, "politie").stream().map(Row::identifier).collect(toSet());
    Set<String> common = new java.util.HashSet<>(mine);
    common.retainAll(theirs);
    // Only the anchors and chance coincidences are common to both seeds.
    assertThat(common.size()).isLessThan(mine.size() / 20);
  }

  @Test
  void honoursCallerSuppliedProfiles() throws IOException {
    var profiles = List.of(
        new PartyProfile("politie", List.of(CategorySpec.of("incident.drugs", SubjectType.ADDRESS, 1))),
        new PartyProfile("huisarts", List.of(CategorySpec.of("consult", SubjectType.PERSON, 1))));
    var federation = new SyntheticFederation(SEED, REFERENCE, profiles);
    Map<String, Long> counts = federation.writeAll(shared.resolve("custom"), 500);

    Map<String, List<Row>> rows = Rows.read(shared.resolve("custom"), List.of("politie", "huisarts"));
    // Only the anchor that fits politie's custom profile is written; huisarts has none.
    assertThat(counts).containsEntry("politie", 501L).containsEntry("huisarts", 500L);
    assertThat(rows.get("politie")).allSatisfy(r -> {
      assertThat(r.category()).isEqualTo("incident.drugs");
      assertThat(r.type()).isEqualTo("address");
    });
    assertThat(rows.get("politie")).filteredOn(r -> r.identifier().equals(ScenarioAnchors.BAG_13B_ADDRESS)).hasSize(1);
    assertThat(rows.get("huisarts")).allSatisfy(r -> assertThat(Rows.passesElfproef(r.identifier())).isTrue());
    assertThat(federation.anchorsOf("huisarts")).isEmpty();
  }

  @Test
  void rejectsAnUnknownPartyNamingTheKnownOnes() {
    var federation = new SyntheticFederation(SEED, REFERENCE, SyntheticFederation.demoProfiles());
    assertThatThrownBy(() -> federation.write("brandweer", 10, shared.resolve("x.csv")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("brandweer").hasMessageContaining("politie");
    assertThat(shared.resolve("x.csv")).doesNotExist();
  }

  @Test
  void rejectsANegativeRecordCount() {
    var federation = new SyntheticFederation(SEED, REFERENCE, SyntheticFederation.demoProfiles());
    assertThatThrownBy(() -> federation.write("politie", -1, new java.io.StringWriter()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found -1");
  }

  @Test
  void rejectsTwoProfilesForOneParty() {
    var ggz = new PartyProfile("ggz", List.of(CategorySpec.of("behandeling", SubjectType.PERSON, 1)));
    assertThatThrownBy(() -> new SyntheticFederation(SEED, REFERENCE, List.of(ggz, ggz)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ggz has two profiles");
  }

  @Test
  void rejectsCategoryNamesTheNodeWouldNotAccept() {
    assertThatThrownBy(() -> CategorySpec.of("Huiselijk Geweld", SubjectType.PERSON, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must match");
    assertThatThrownBy(() -> CategorySpec.of("melding", SubjectType.PERSON, 0))
        .hasMessageContaining("at least 1, found 0");
  }

  @Test
  void anchorRecordsDoNotPrintTheirIdentifier() {
    assertThat(ScenarioAnchors.records()).allSatisfy(r ->
        assertThat(r.toString()).doesNotContain(r.identifier()).contains("redacted"));
  }

  /** The expectations the documentation's tour relies on. */
  private static void assertScenarioAnchors(List<Row> rows) {
    LocalDate fiveYearsAgo = REFERENCE.minusYears(5);
    LocalDate yearAgo = REFERENCE.minusMonths(12);

    assertThat(about(rows, ScenarioAnchors.BSN_KNOWN_AT_FIVE)).containsOnly(
        Map.entry("politie incident.huiselijk-geweld", 4L),
        Map.entry("veilig-thuis melding", 1L),
        Map.entry("woningcorporatie huurcontract", 1L),
        Map.entry("ggz behandeling", 1L),
        Map.entry("sociaal-domein hulpverlening", 1L));
    assertThat(rows).filteredOn(r -> r.identifier().equals(ScenarioAnchors.BSN_KNOWN_AT_FIVE))
        .allSatisfy(r -> assertThat(r.date()).isAfter(fiveYearsAgo));

    assertThat(about(rows, ScenarioAnchors.BSN_KNOWN_NOWHERE)).isEmpty();
    assertThat(about(rows, ScenarioAnchors.BSN_ONLY_RECLASSERING))
        .containsOnly(Map.entry("reclassering toezicht", 1L));

    assertThat(about(rows, ScenarioAnchors.BAG_13B_ADDRESS)).containsOnly(
        Map.entry("politie incident.drugs", 1L),
        Map.entry("woningcorporatie huurcontract", 1L),
        Map.entry("sociaal-domein minderjarige-ingeschreven", 1L));
    assertThat(rows).filteredOn(r -> r.identifier().equals(ScenarioAnchors.BAG_13B_ADDRESS)
            && r.category().equals("incident.drugs"))
        .allSatisfy(r -> assertThat(r.date()).isAfter(yearAgo));

    // Written the way a user would type it, in any spacing or case, it is still one lease.
    assertThat(rows).filteredOn(r -> r.type().equals("address")
            && r.identifier().replace(" ", "").equalsIgnoreCase("3511AB12"))
        .extracting(r -> r.party() + " " + r.category())
        .containsExactly("woningcorporatie huurcontract");

    assertThat(about(rows, ScenarioAnchors.KVK_KNOWN_TWICE)).containsOnly(
        Map.entry("belastingdienst fiscaal-signaal", 1L),
        Map.entry("gemeente-oov bibob-onderzoek", 1L));
    assertThat(about(rows, ScenarioAnchors.KVK_KNOWN_NOWHERE)).isEmpty();

    assertThat(rows).filteredOn(r -> r.area().equals("BU03440101") && r.party().equals("politie")
            && r.category().equals("signaal.ondermijning"))
        .hasSize(2);
    List<Row> overlast = rows.stream().filter(r -> r.area().equals("BU03440101")
        && r.party().equals("woningcorporatie") && r.category().equals("overlast")).toList();
    assertThat(overlast).hasSize(12).allSatisfy(r -> assertThat(r.type()).isEqualTo("person"));
    assertThat(overlast.stream().map(Row::identifier).distinct()).hasSize(12);
  }

  /** "party category" → number of rows about {@code identifier}. */
  private static Map<String, Long> about(List<Row> rows, String identifier) {
    return rows.stream().filter(r -> r.identifier().equals(identifier))
        .collect(groupingBy(r -> r.party() + " " + r.category(), counting()));
  }

  private static List<String> identifiersOf(String type) {
    return all.stream().filter(r -> r.type().equals(type)).map(Row::identifier).toList();
  }
}
