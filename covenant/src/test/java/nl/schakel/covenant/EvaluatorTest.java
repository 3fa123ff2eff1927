package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CONTEXT.md's example scenarios and COVENANT.md's check order, against the example convenant. */
class EvaluatorTest {
  private static final Instant JUNE_2026 = Instant.parse("2026-06-15T10:00:00Z");

  private final Evaluator zvo = new Evaluator(Fixtures.zvoCovenant());

  private static Question person(String party, String role, String purpose, String caseRef) {
    return new Question(
        party, Set.of(role), purpose, Optional.ofNullable(caseRef), SubjectType.PERSON,
        Optional.empty(), Set.of());
  }

  private static Question burgemeesterHuisverbod() {
    return person("gemeente-oov", "burgemeester", "huisverbod", "HV-2026-0012");
  }

  private static Question riecArea(AreaLevel level) {
    return new Question(
        "riec", Set.of("analist"), "ondermijning", Optional.of("RIEC-2026-0007"),
        SubjectType.AREA, Optional.of(level), Set.of());
  }

  private static Decision.Deny denied(Decision d) {
    assertThat(d).isInstanceOf(Decision.Deny.class);
    return (Decision.Deny) d;
  }

  private static Decision.Allow allowed(Decision d) {
    assertThat(d).isInstanceOf(Decision.Allow.class);
    return (Decision.Allow) d;
  }

  // ------------------------------------------------------------------ scenario 1

  @Test
  void burgemeesterGetsABandedCountFromPoliceForAHuisverbod() {
    Decision.Allow politie = allowed(zvo.decide(burgemeesterHuisverbod(), "politie", JUNE_2026));
    assertThat(politie.answer()).isEqualTo(AnswerKind.COUNT);
    assertThat(politie.ruleId()).isEqualTo("R2");
    assertThat(politie.categories()).containsExactly("incident.huiselijk-geweld");
    assertThat(politie.lookback()).contains(Period.ofYears(5));
    assertThat(politie.legalBasis()).containsExactly("Wet tijdelijk huisverbod art. 2", "Wpg art. 16");
    assertThat(politie.fourEyes()).isFalse();
    Disclosure.Bands bands = (Disclosure.Bands) politie.disclosure().orElseThrow();
    assertThat(bands.bandFor(4).display()).isEqualTo("3-5");
  }

  @Test
  void burgemeesterGetsHitOrNoHitFromVeiligThuis() {
    Decision.Allow vt = allowed(zvo.decide(burgemeesterHuisverbod(), "veilig-thuis", JUNE_2026));
    assertThat(vt.answer()).isEqualTo(AnswerKind.HIT_PER_PARTY);
    assertThat(vt.ruleId()).isEqualTo("R3");
    assertThat(vt.categories()).containsExactly("melding");
    assertThat(vt.disclosure()).isEmpty();
  }

  @Test
  void oovAdviserMayNotAskForAHuisverbod() {
    Question q = person("gemeente-oov", "oov-adviseur", "huisverbod", "HV-2026-0012");
    assertThat(zvo.mayAskAnyone("gemeente-oov", Set.of("oov-adviseur"), "huisverbod")).isFalse();
    assertThat(zvo.mayAskAnyone("gemeente-oov", Set.of("burgemeester"), "huisverbod")).isTrue();
    Decision.Deny d = denied(zvo.decide(q, "politie", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.NO_RULE);
    assertThat(d.clause()).isEqualTo("rules");
    assertThat(d.text())
        .isEqualTo(
            "no rule in convenant zvo-midden v3 lets gemeente-oov.oov-adviseur ask politie about a person for purpose huisverbod");
  }

  // ------------------------------------------------------------------ scenario 3

  @Test
  void procesregisseurSeesEveryPartnerWithGgzRefusedForSecrecy() {
    Question q = person("zvh", "procesregisseur", "zvh-casus", "ZVH-2026-00042");
    List<String> considered = zvo.defaultResponders(SubjectType.PERSON);
    assertThat(considered).containsExactly("politie", "veilig-thuis", "woningcorporatie", "ggz");
    List<Decision> decisions = zvo.decideAll(q, considered, JUNE_2026);
    assertThat(decisions.subList(0, 3))
        .allSatisfy(
            d -> {
              assertThat(allowed(d).answer()).isEqualTo(AnswerKind.HIT_PER_PARTY);
              assertThat(allowed(d).ruleId()).isEqualTo("R1");
            });
    Decision.Deny ggz = denied(decisions.get(3));
    assertThat(ggz.party()).isEqualTo("ggz");
    assertThat(ggz.reason()).isEqualTo(DenyReason.SECRECY);
    assertThat(ggz.reason().code()).isEqualTo("secrecy");
    assertThat(ggz.clause()).isEqualTo("parties.ggz.secrecy");
    assertThat(ggz.text()).isEqualTo("Medisch beroepsgeheim (WGBO art. 7:457 BW)");
  }

  // ------------------------------------------------------------------ scenario 4

  @Test
  void riecAnalystGetsRoundedCountsPerBuurtWithSmallNumbersSuppressed() {
    for (String party : zvo.defaultResponders(SubjectType.AREA)) {
      Decision.Allow a = allowed(zvo.decide(riecArea(AreaLevel.BUURT), party, JUNE_2026));
      assertThat(a.answer()).isEqualTo(AnswerKind.COUNT);
      assertThat(a.disclosure()).contains(new Disclosure.MinRound(5, 5, false));
      Disclosure.MinRound m = (Disclosure.MinRound) a.disclosure().orElseThrow();
      assertThat(m.suppresses(2)).isTrue();
      assertThat(m.suppressedDisplay()).isEqualTo("<5");
      assertThat(m.suppresses(0)).isFalse();
      assertThat(m.suppresses(5)).isFalse();
    }
    assertThat(zvo.defaultResponders(SubjectType.AREA)).containsExactly("politie", "woningcorporatie");
  }

  @Test
  void areaQuestionsAtAnotherLevelThanTheRuleAreRefused() {
    Decision.Deny d = denied(zvo.decide(riecArea(AreaLevel.WIJK), "politie", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.AREA_LEVEL_NOT_ALLOWED);
    assertThat(d.clause()).isEqualTo("rules.R4.area-level");
    assertThat(d.text()).isEqualTo("rule R4 answers area questions at buurt level only, not at wijk level");
  }

  @Test
  void kvkQuestionToTheTaxOfficeNeedsFourEyes() {
    Question q =
        new Question(
            "riec", Set.of("analist"), "ondermijning", Optional.of("RIEC-2026-0007"),
            SubjectType.ORGANISATION, Optional.empty(), Set.of());
    Decision.Allow a = allowed(zvo.decide(q, "belastingdienst", JUNE_2026));
    assertThat(a.fourEyes()).isTrue();
    assertThat(a.ruleId()).isEqualTo("R5");
  }

  // ------------------------------------------------------------------ scenarios 6 to 9

  @Test
  void housingCorporationAnswersButHasNoPurposeAsAsker() {
    for (String purpose : List.of("zvh-casus", "huisverbod", "ondermijning")) {
      assertThat(zvo.mayAskAnyone("woningcorporatie", Set.of(), purpose)).isFalse();
    }
    Question q = person("woningcorporatie", "medewerker", "zvh-casus", "ZVH-2026-00042");
    assertThat(denied(zvo.decide(q, "politie", JUNE_2026)).reason()).isEqualTo(DenyReason.NO_RULE);
  }

  @Test
  void nothingIsAllowedAfterTheLastDayInAmsterdam() {
    Instant lastMinute = Instant.parse("2027-12-31T22:59:59Z"); // 23:59:59 in Amsterdam
    Instant newYear = Instant.parse("2027-12-31T23:00:00Z"); // 00:00 on 1 January in Amsterdam
    assertThat(zvo.decide(burgemeesterHuisverbod(), "politie", lastMinute))
        .isInstanceOf(Decision.Allow.class);
    Decision.Deny d = denied(zvo.decide(burgemeesterHuisverbod(), "politie", newYear));
    assertThat(d.reason()).isEqualTo(DenyReason.COVENANT_NOT_IN_FORCE);
    assertThat(d.clause()).isEqualTo("valid");
    assertThat(d.text())
        .isEqualTo(
            "convenant zvo-midden v3 is in force from 2026-01-01 to 2027-12-31 (inclusive, Europe/Amsterdam), not on 2028-01-01");
    assertThat(denied(zvo.decide(burgemeesterHuisverbod(), "politie", Instant.parse("2025-12-31T22:59:00Z"))).reason())
        .isEqualTo(DenyReason.COVENANT_NOT_IN_FORCE);
  }

  @Test
  void anOrganisationThatIsNotAPartyIsRefused() {
    Question q = person("gemeente-amersfoort", "burgemeester", "huisverbod", "HV-2026-0012");
    Decision.Deny d = denied(zvo.decide(q, "politie", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.NOT_A_PARTY);
    assertThat(d.reason().code()).isEqualTo("not-a-party");
    assertThat(d.clause()).isEqualTo("parties");
    assertThat(zvo.mayAskAnyone("gemeente-amersfoort", Set.of("burgemeester"), "huisverbod")).isFalse();
  }

  @Test
  void aResponderThatIsNotAPartyIsRefused() {
    assertThat(denied(zvo.decide(burgemeesterHuisverbod(), "om", JUNE_2026)).reason())
        .isEqualTo(DenyReason.NOT_A_PARTY);
  }

  @Test
  void aMissingCaseReferenceNamesThePatternItMustMatch() {
    Decision.Deny d =
        denied(zvo.decide(person("gemeente-oov", "burgemeester", "huisverbod", null), "politie", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.CASE_REFERENCE_MISSING);
    assertThat(d.clause()).isEqualTo("purposes.huisverbod.case-reference");
    assertThat(d.text()).isEqualTo("purpose huisverbod requires a case reference matching ^HV-\\d{4}-\\d{4}$");
    assertThat(denied(zvo.decide(person("gemeente-oov", "burgemeester", "huisverbod", "  "), "politie", JUNE_2026)).reason())
        .isEqualTo(DenyReason.CASE_REFERENCE_MISSING);
  }

  @Test
  void aMalformedCaseReferenceIsRefusedWithoutEchoingIt() {
    Question q = person("gemeente-oov", "burgemeester", "huisverbod", "999990019");
    Decision.Deny d = denied(zvo.decide(q, "politie", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.CASE_REFERENCE_INVALID);
    assertThat(d.text())
        .isEqualTo("the case reference does not match ^HV-\\d{4}-\\d{4}$, which purpose huisverbod requires")
        .doesNotContain("999990019");
    // Whole-string match: a valid reference with anything around it is not valid.
    assertThat(denied(zvo.decide(person("gemeente-oov", "burgemeester", "huisverbod", "HV-2026-0012x"), "politie", JUNE_2026)).reason())
        .isEqualTo(DenyReason.CASE_REFERENCE_INVALID);
    assertThat(denied(zvo.decide(person("gemeente-oov", "burgemeester", "huisverbod", "HV-2026-0012".repeat(10)), "politie", JUNE_2026)).reason())
        .isEqualTo(DenyReason.CASE_REFERENCE_INVALID);
  }

  // ------------------------------------------------------------------ refusals, categories

  @Test
  void taxOfficeIsRefusedAboutPersonsInTheConvenantsWords() {
    Question q = person("zvh", "procesregisseur", "zvh-casus", "ZVH-2026-00042");
    Decision.Deny d = denied(zvo.decide(q, "belastingdienst", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.REFUSED);
    assertThat(d.clause()).isEqualTo("refusals[0]");
    assertThat(d.text()).isEqualTo("Fiscale geheimhoudingsplicht (AWR art. 67)");
  }

  @Test
  void requestedCategoriesNarrowTheAnswerToWhatTheResponderHolds() {
    Question q =
        new Question(
            "zvh", Set.of("procesregisseur"), "zvh-casus", Optional.of("ZVH-2026-00042"),
            SubjectType.PERSON, Optional.empty(), Set.of("melding", "huurcontract"));
    assertThat(allowed(zvo.decide(q, "veilig-thuis", JUNE_2026)).categories()).containsExactly("melding");
    assertThat(allowed(zvo.decide(q, "woningcorporatie", JUNE_2026)).categories())
        .containsExactly("huurcontract");
    Decision.Deny politie = denied(zvo.decide(q, "politie", JUNE_2026));
    assertThat(politie.reason()).isEqualTo(DenyReason.CATEGORY_NOT_ALLOWED);
    assertThat(politie.clause()).isEqualTo("parties.politie.categories");
    assertThat(politie.text())
        .isEqualTo("politie holds none of the requested categories about a person; it holds incident.huiselijk-geweld");
  }

  @Test
  void aHeldCategoryOutsideTheRuleIsRefusedNotSilentlyDropped() {
    Evaluator e =
        new Evaluator(
            Fixtures.parse(
                Fixtures.zvoWith(
                    "      incident.drugs: {subjects: [address], special: criminal}",
                    "      incident.drugs: {subjects: [address, person], special: criminal}")));
    Question q =
        new Question(
            "gemeente-oov", Set.of("burgemeester"), "huisverbod", Optional.of("HV-2026-0012"),
            SubjectType.PERSON, Optional.empty(), Set.of("incident.huiselijk-geweld", "incident.drugs"));
    Decision.Deny d = denied(e.decide(q, "politie", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.CATEGORY_NOT_ALLOWED);
    assertThat(d.clause()).isEqualTo("rules.R2.categories");
    assertThat(d.text())
        .isEqualTo("rule R2 lets politie answer about incident.huiselijk-geweld only, not about incident.drugs");
    Question unrestricted = burgemeesterHuisverbod();
    assertThat(allowed(e.decide(unrestricted, "politie", JUNE_2026)).categories())
        .containsExactly("incident.huiselijk-geweld");
  }

  // ------------------------------------------------------------------ check order

  @Test
  void notAPartyComesBeforeNotInForce() {
    Question q = person("gemeente-amersfoort", "burgemeester", "nonsense", null);
    assertThat(denied(zvo.decide(q, "politie", Instant.parse("2030-01-01T12:00:00Z"))).reason())
        .isEqualTo(DenyReason.NOT_A_PARTY);
  }

  @Test
  void notInForceComesBeforeAnUnknownPurpose() {
    Question q = person("gemeente-oov", "burgemeester", "nonsense", null);
    assertThat(denied(zvo.decide(q, "politie", Instant.parse("2028-06-01T12:00:00Z"))).reason())
        .isEqualTo(DenyReason.COVENANT_NOT_IN_FORCE);
    Decision.Deny d = denied(zvo.decide(q, "politie", JUNE_2026));
    assertThat(d.reason()).isEqualTo(DenyReason.PURPOSE_UNKNOWN);
    assertThat(d.text())
        .isEqualTo("convenant zvo-midden v3 defines no such purpose; its purposes are zvh-casus, huisverbod, ondermijning");
  }

  @Test
  void caseReferenceComesBeforeRefusalsAndSecrecy() {
    Question noCase = person("zvh", "procesregisseur", "zvh-casus", null);
    assertThat(denied(zvo.decide(noCase, "belastingdienst", JUNE_2026)).reason())
        .isEqualTo(DenyReason.CASE_REFERENCE_MISSING);
    assertThat(denied(zvo.decide(noCase, "ggz", JUNE_2026)).reason())
        .isEqualTo(DenyReason.CASE_REFERENCE_MISSING);
  }

  @Test
  void refusalComesBeforeSecrecyAndSecrecyBeforeNoRule() {
    Evaluator e =
        new Evaluator(
            Fixtures.parse(
                Fixtures.zvoWith("  - responders: [belastingdienst]", "  - responders: [belastingdienst, ggz]")));
    Question q = person("gemeente-oov", "burgemeester", "huisverbod", "HV-2026-0012");
    assertThat(denied(e.decide(q, "ggz", JUNE_2026)).reason()).isEqualTo(DenyReason.REFUSED);
    // No rule names ggz for huisverbod either, but secrecy is the stronger, earlier reason.
    assertThat(denied(zvo.decide(q, "ggz", JUNE_2026)).reason()).isEqualTo(DenyReason.SECRECY);
  }

  @Test
  void noRuleComesBeforeCategoryAndCategoryBeforeAreaLevel() {
    Question wrongPurposeCategory =
        new Question(
            "gemeente-oov", Set.of("burgemeester"), "huisverbod", Optional.of("HV-2026-0012"),
            SubjectType.PERSON, Optional.empty(), Set.of("huurcontract"));
    assertThat(denied(zvo.decide(wrongPurposeCategory, "woningcorporatie", JUNE_2026)).reason())
        .isEqualTo(DenyReason.NO_RULE);
    Question wijkWithForeignCategory =
        new Question(
            "riec", Set.of("analist"), "ondermijning", Optional.of("RIEC-2026-0007"),
            SubjectType.AREA, Optional.of(AreaLevel.WIJK), Set.of("overlast"));
    assertThat(denied(zvo.decide(wijkWithForeignCategory, "politie", JUNE_2026)).reason())
        .isEqualTo(DenyReason.CATEGORY_NOT_ALLOWED);
    assertThat(denied(zvo.decide(wijkWithForeignCategory, "woningcorporatie", JUNE_2026)).reason())
        .isEqualTo(DenyReason.AREA_LEVEL_NOT_ALLOWED);
  }

  // ------------------------------------------------------------------ purity and caching

  @Test
  void equalQuestionsGetEqualDecisionsAndTheDayIsPartOfTheKey() {
    Decision first = zvo.decide(burgemeesterHuisverbod(), "politie", JUNE_2026);
    assertThat(zvo.decide(burgemeesterHuisverbod(), "politie", JUNE_2026.plusSeconds(60))).isEqualTo(first);
    assertThat(zvo.decide(burgemeesterHuisverbod(), "politie", Instant.parse("2028-01-02T12:00:00Z")))
        .isInstanceOf(Decision.Deny.class);
  }

  @Test
  void rolesTheConvenantDoesNotKnowAreIgnored() {
    Question q =
        new Question(
            "gemeente-oov", Set.of("burgemeester", "koffiejuffrouw"), "huisverbod",
            Optional.of("HV-2026-0012"), SubjectType.PERSON, Optional.empty(), Set.of());
    assertThat(zvo.decide(q, "politie", JUNE_2026)).isInstanceOf(Decision.Allow.class);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void aCatastrophicallyBacktrackingPatternCannotStallTheEvaluator() {
    Evaluator e =
        new Evaluator(Fixtures.parse(Fixtures.zvoWith("'^HV-\\d{4}-\\d{4}$'", "'^(a+)+$'")));
    Question q = person("gemeente-oov", "burgemeester", "huisverbod", "a".repeat(40) + "!");
    assertThat(denied(e.decide(q, "politie", JUNE_2026)).reason())
        .isEqualTo(DenyReason.CASE_REFERENCE_INVALID);
    assertThat(e.decide(person("gemeente-oov", "burgemeester", "huisverbod", "aaaa"), "politie", JUNE_2026))
        .isInstanceOf(Decision.Allow.class);
  }
}
