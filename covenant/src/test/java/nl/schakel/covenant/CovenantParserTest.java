package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The COVENANT.md example, read into the model it means. */
class CovenantParserTest {
  private final Covenant zvo = Fixtures.zvoCovenant();

  @Test
  void readsTheHeader() {
    assertThat(zvo.id()).isEqualTo("zvo-midden");
    assertThat(zvo.version()).isEqualTo(3);
    assertThat(zvo.label()).isEqualTo("zvo-midden v3");
    assertThat(zvo.title()).isEqualTo("Convenant Zorg, Veiligheid en Ondermijning regio Midden");
    assertThat(zvo.validFrom()).isEqualTo(LocalDate.of(2026, 1, 1));
    assertThat(zvo.validUntil()).isEqualTo(LocalDate.of(2027, 12, 31));
    assertThat(zvo.retention()).contains(Period.ofYears(5));
    assertThat(zvo.source()).isEqualTo("zvo-midden.v3.yaml");
  }

  @Test
  void keepsPartiesInFileOrderWithTheirDeclarations() {
    assertThat(zvo.parties().keySet())
        .containsExactly(
            "gemeente-oov", "zvh", "riec", "politie", "veilig-thuis", "woningcorporatie",
            "belastingdienst", "ggz");
    Party politie = zvo.parties().get("politie");
    assertThat(politie.contact()).contains("Infodesk Politie Midden-Nederland");
    assertThat(politie.roles()).isEmpty();
    assertThat(politie.categories().get("signaal.ondermijning"))
        .isEqualTo(
            new CategoryDeclaration(
                "signaal.ondermijning",
                new java.util.LinkedHashSet<>(List.of(SubjectType.ADDRESS, SubjectType.ORGANISATION, SubjectType.AREA)),
                Optional.of("criminal")));
    assertThat(politie.categoriesFor(SubjectType.ADDRESS)).containsExactly("incident.drugs", "signaal.ondermijning");
    assertThat(zvo.parties().get("gemeente-oov").roles()).containsExactly("burgemeester", "oov-adviseur");
    assertThat(zvo.parties().get("ggz").secrecy()).contains("Medisch beroepsgeheim (WGBO art. 7:457 BW)");
    assertThat(zvo.parties().get("zvh").categories()).isEmpty();
  }

  @Test
  void readsPurposesWithLegalBasisAndCaseReferencePattern() {
    Purpose huisverbod = zvo.purposes().get("huisverbod");
    assertThat(huisverbod.legalBasis()).containsExactly("Wet tijdelijk huisverbod art. 2", "Wpg art. 16");
    assertThat(huisverbod.caseReference().orElseThrow().pattern()).isEqualTo("^HV-\\d{4}-\\d{4}$");
    assertThat(huisverbod.requiresCaseReference()).isTrue();
  }

  @Test
  void readsRulesWithDefaultsFilledIn() {
    assertThat(zvo.rules()).extracting(Rule::id).containsExactly("R1", "R2", "R3", "R4", "R5");
    Rule r1 = zvo.rules().get(0);
    assertThat(r1.askers()).containsExactly(new Asker("zvh", Optional.of("procesregisseur")));
    assertThat(r1.categories()).isEqualTo(new CategorySelection.Any());
    assertThat(r1.fourEyes()).isFalse();
    Rule r2 = zvo.rules().get(1);
    assertThat(r2.categories()).isEqualTo(new CategorySelection.Listed(List.of("incident.huiselijk-geweld")));
    assertThat(r2.lookback()).contains(Period.ofYears(5));
    assertThat(r2.disclosure()).contains(new Disclosure.Bands(List.of(0, 1, 3, 6)));
    Rule r4 = zvo.rules().get(3);
    assertThat(r4.subject()).isEqualTo(SubjectType.AREA);
    assertThat(r4.areaLevel()).contains(AreaLevel.BUURT);
    assertThat(r4.disclosure()).contains(new Disclosure.MinRound(5, 5, false));
    assertThat(zvo.rules().get(4).fourEyes()).isTrue();
  }

  @Test
  void readsLimitsAndRefusals() {
    assertThat(zvo.limits())
        .containsExactly(
            new Limit(Optional.empty(), Limit.Per.ANALYST, 200, Duration.ofDays(1)),
            new Limit(Optional.of("huisverbod"), Limit.Per.ANALYST, 20, Duration.ofDays(1)),
            new Limit(Optional.empty(), Limit.Per.PARTY, 2000, Duration.ofDays(1)));
    assertThat(zvo.limits().get(1).appliesTo("huisverbod")).isTrue();
    assertThat(zvo.limits().get(1).appliesTo("zvh-casus")).isFalse();
    assertThat(zvo.limits().get(0).appliesTo("zvh-casus")).isTrue();
    assertThat(zvo.refusals()).singleElement().satisfies(r -> {
      assertThat(r.refuses("belastingdienst", SubjectType.PERSON)).isTrue();
      assertThat(r.refuses("belastingdienst", SubjectType.ORGANISATION)).isFalse();
      assertThat(r.reason()).isEqualTo("Fiscale geheimhoudingsplicht (AWR art. 67)");
    });
  }

  @Test
  void inForceOnInclusiveDates() {
    assertThat(zvo.inForceOn(LocalDate.of(2025, 12, 31))).isFalse();
    assertThat(zvo.inForceOn(LocalDate.of(2026, 1, 1))).isTrue();
    assertThat(zvo.inForceOn(LocalDate.of(2027, 12, 31))).isTrue();
    assertThat(zvo.inForceOn(LocalDate.of(2028, 1, 1))).isFalse();
  }

  @Test
  void acceptsWindowsInHoursAndWeeks() {
    Covenant c =
        Fixtures.parse(
            Fixtures.zvoWith(
                "{purpose: any, per: analyst, max: 200, window: P1D}",
                "{purpose: any, per: analyst, max: 200, window: PT1H}")
                .replace("max: 2000, window: P1D", "max: 2000, window: P1W"));
    assertThat(c.limits().get(0).window()).isEqualTo(Duration.ofHours(1));
    assertThat(c.limits().get(2).window()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void readsFilesAsStrictUtf8WithOptionalBom(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("zvo-midden.v3.yaml");
    Files.write(file, ("\uFEFF" + Fixtures.zvo()).getBytes(StandardCharsets.UTF_8));
    assertThat(CovenantParser.parse(file)).isEqualTo(zvo);

    byte[] latin1 = Fixtures.zvoWith("Geintegreerde", "Ge\u00efntegreerde").getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, latin1);
    CovenantValidationException e =
        catchThrowableOfType(CovenantValidationException.class, () -> CovenantParser.parse(file));
    assertThat(e.errors()).singleElement().asString().startsWith("zvo-midden.v3.yaml:56:14 not valid UTF-8");
  }

  @Test
  void reportsAnUnreadableFileWithoutAPlace(@TempDir Path dir) {
    CovenantValidationException e =
        catchThrowableOfType(
            CovenantValidationException.class, () -> CovenantParser.parse(dir.resolve("missing.yaml")));
    assertThat(e.errors()).singleElement().satisfies(err -> {
      assertThat(err.line()).isZero();
      assertThat(err.toString()).startsWith("missing.yaml: cannot read the file");
    });
  }

  @Test
  void acceptsALargerConvenantWithMorePartiesAndCategories() {
    String yaml =
        Fixtures.edit(
            Fixtures.edit(
                Fixtures.zvo(),
                "  ggz:\n",
                "  sociaal-domein:\n    name: Sociaal domein gemeente Utrecht\n    contact: Buurtteam\n"
                    + "    categories:\n      minderjarige-ingeschreven: {subjects: [address]}\n"
                    + "      schuldhulp: {subjects: [person]}\n"
                    + "  reclassering:\n    name: Reclassering Nederland\n    roles: [toezichthouder]\n"
                    + "    categories:\n      toezicht: {subjects: [person], special: criminal}\n"
                    + "  ggz:\n"),
            "  - id: R5\n",
            "  - id: R6\n    purpose: ondermijning\n    askers: [gemeente-oov.oov-adviseur]\n"
                + "    responders: [politie, woningcorporatie, sociaal-domein]\n    subject: address\n"
                + "    categories: [incident.drugs, huurcontract, minderjarige-ingeschreven]\n"
                + "    answer: hit-per-party\n    lookback: P12M\n    four-eyes: true\n  - id: R5\n");
    Covenant c = Fixtures.parse(yaml);
    assertThat(c.parties()).containsKeys("sociaal-domein", "reclassering");
    assertThat(new Evaluator(c).defaultResponders(SubjectType.ADDRESS))
        .containsExactly("politie", "woningcorporatie", "sociaal-domein");
    assertThat(c.rules().get(4).lookback()).contains(Period.ofMonths(12));
  }
}
