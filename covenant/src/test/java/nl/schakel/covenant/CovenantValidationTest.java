package nl.schakel.covenant;

import static nl.schakel.covenant.Fixtures.errors;
import static nl.schakel.covenant.Fixtures.zvo;
import static nl.schakel.covenant.Fixtures.zvoWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of COVENANT.md that a file can break, with the exact message an author sees: file,
 * line and column, where in the model, the offending key, and a suggestion where one is obvious.
 */
class CovenantValidationTest {

  @Test
  void namesAResponderThatIsNotAPartyWithASuggestion() {
    String yaml =
        zvoWith(
            "    responders: [politie, woningcorporatie]\n    subject: area",
            "    responders: [politie, woningcorp]\n    subject: area");
    assertThat(errors(yaml))
        .containsExactly(
            "zvo-midden.v3.yaml:86:27 rule R4: responder 'woningcorp' is not a party (did you mean 'woningcorporatie'?)");
  }

  @Test
  void rejectsUnknownKeysAtEveryLevel() {
    String yaml =
        Fixtures.edit(
            Fixtures.edit(
                zvoWith("    contact: Infodesk", "    contcat: Infodesk"),
                "retention: P5Y",
                "retention: P5Y\nsigantures: none"),
            "    four-eyes: true",
            "    four-eyes: true\n    fourEyes: true");
    assertThat(errors(yaml))
        .containsExactly(
            "zvo-midden.v3.yaml:7:1 unknown key 'sigantures'",
            "zvo-midden.v3.yaml:21:5 party politie: unknown key 'contcat' (did you mean 'contact'?)",
            "zvo-midden.v3.yaml:99:5 rule R5: unknown key 'fourEyes' (did you mean 'four-eyes'?)");
  }

  @Test
  void rejectsMissingRequiredKeysAtTheMapping() {
    String yaml =
        zvoWith("    subject: organisation\n    answer: hit-per-party\n", "    subject: organisation\n");
    assertThat(errors(yaml))
        .containsExactly("zvo-midden.v3.yaml:91:5 rule R5: missing required key 'answer'");
  }

  @Test
  void requiresTheV1Format() {
    assertThat(errors(zvoWith("format: schakel/covenant/v1", "format: schakel/covenant/v2")))
        .containsExactly(
            "zvo-midden.v3.yaml:1:9 'format' must be 'schakel/covenant/v1', found 'schakel/covenant/v2'");
  }

  @Test
  void requiresAnIdOfLowerCaseLettersDigitsAndHyphens() {
    assertThat(errors(zvoWith("id: zvo-midden", "id: ZVO_midden")))
        .containsExactly("zvo-midden.v3.yaml:2:5 'id' must match [a-z0-9-]{3,64}, found 'ZVO_midden'");
  }

  @Test
  void requiresAPositiveWholeVersion() {
    assertThat(errors(zvoWith("version: 3 ", "version: 0 ")))
        .containsExactly("zvo-midden.v3.yaml:3:10 'version' must be at least 1, found 0");
    // 010 is octal 8 in YAML 1.1 and decimal 10 elsewhere: refused rather than guessed.
    assertThat(errors(zvoWith("version: 3 ", "version: 010 ")))
        .containsExactly(
            "zvo-midden.v3.yaml:3:10 'version' must be a whole number of at least 1, found '010'");
    assertThat(errors(zvoWith("version: 3 ", "version: 3.5 "))).hasSize(1);
  }

  @Test
  void detectsDuplicatePartiesPurposesRulesAndKeys() {
    String yaml =
        Fixtures.edit(
            Fixtures.edit(
                Fixtures.edit(
                    zvoWith("  veilig-thuis:\n", "  politie:\n"),
                    "  ondermijning:\n",
                    "  huisverbod:\n"),
                "  - id: R3",
                "  - id: R2"),
            "    subject: organisation\n",
            "    subject: organisation\n    subject: person\n");
    assertThat(errors(yaml))
        .contains(
            "zvo-midden.v3.yaml:25:3 party 'politie' appears twice (first at line 18)",
            "zvo-midden.v3.yaml:55:3 purpose 'huisverbod' appears twice (first at line 51)",
            "zvo-midden.v3.yaml:77:9 rule R2: rule id 'R2' is used twice (first at line 68)",
            "zvo-midden.v3.yaml:96:5 rule R5: key 'subject' appears twice (first at line 95)");
  }

  @Test
  void suggestsTheRoleForAMisspeltAsker() {
    assertThat(errors(zvoWith("askers: [zvh.procesregisseur]", "askers: [zvh.procesregiseur]")))
        .containsExactly(
            "zvo-midden.v3.yaml:63:14 rule R1: asker 'zvh.procesregiseur': party zvh has no role 'procesregiseur' (did you mean 'procesregisseur'?); its roles are procesregisseur");
  }

  @Test
  void rejectsARoleForAPartyWithoutRoles() {
    assertThat(errors(zvoWith("askers: [zvh.procesregisseur]", "askers: [politie.agent]")))
        .singleElement()
        .asString()
        .contains("rule R1: party politie declares no roles");
  }

  @Test
  void rejectsAnUnknownPurposeInARule() {
    assertThat(errors(zvoWith("    purpose: zvh-casus", "    purpose: zvh-casis")))
        .containsExactly(
            "zvo-midden.v3.yaml:62:14 rule R1: 'purpose' 'zvh-casis' is not a purpose of this convenant (did you mean 'zvh-casus'?)");
  }

  @Test
  void rejectsACategoryNoResponderOfTheRuleDeclares() {
    assertThat(errors(zvoWith("[incident.huiselijk-geweld]\n", "[incident.huislijk-geweld]\n")))
        .containsExactly(
            "zvo-midden.v3.yaml:73:18 rule R2: category 'incident.huislijk-geweld' is not declared by any responder of this rule (did you mean 'incident.huiselijk-geweld'?)");
  }

  @Test
  void rejectsACategoryAboutAnotherSubjectType() {
    assertThat(errors(zvoWith("[incident.huiselijk-geweld]\n", "[incident.drugs]\n")))
        .containsExactly(
            "zvo-midden.v3.yaml:73:18 rule R2: category 'incident.drugs' is not about subject person at politie ([address])");
  }

  @Test
  void rejectsAResponderThatHoldsNoneOfTheListedCategories() {
    String yaml =
        zvoWith(
            "    responders: [politie]\n    subject: person\n    categories: [incident.huiselijk-geweld]",
            "    responders: [politie, veilig-thuis]\n    subject: person\n    categories: [incident.huiselijk-geweld]");
    assertThat(errors(yaml))
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains(
                        "rule R2: responder 'veilig-thuis' declares none of the listed categories about subject person (it declares melding)"));
  }

  @Test
  void rejectsASecrecyPartyAsResponder() {
    assertThat(
            errors(
                zvoWith(
                    "responders: [politie, veilig-thuis, woningcorporatie]",
                    "responders: [politie, veilig-thuis, woningcorporatie, ggz]")))
        .containsExactly(
            "zvo-midden.v3.yaml:64:59 rule R1: responder 'ggz' is bound by secrecy (Medisch beroepsgeheim (WGBO art. 7:457 BW)) and never answers; no rule may name it");
  }

  @Test
  void rejectsAResponderWithoutRecordsAboutTheSubject() {
    assertThat(errors(zvoWith("    responders: [belastingdienst]\n    subject: organisation", "    responders: [belastingdienst, veilig-thuis]\n    subject: organisation")))
        .singleElement()
        .asString()
        .contains("rule R5: responder 'veilig-thuis' declares no category about subject organisation");
  }

  @Test
  void rejectsAPurposeWithoutLegalBasis() {
    assertThat(errors(zvoWith("    legal-basis: [Wet tijdelijk huisverbod art. 2, Wpg art. 16]\n", "")))
        .containsExactly(
            "zvo-midden.v3.yaml:52:5 purpose huisverbod: no legal basis: add 'legal-basis' with at least one grondslag (AVG art. 6)");
    assertThat(errors(zvoWith("[Wet tijdelijk huisverbod art. 2, Wpg art. 16]", "[]")))
        .containsExactly("zvo-midden.v3.yaml:53:18 purpose huisverbod: 'legal-basis' must not be empty");
  }

  @Test
  void rejectsAnInvalidCaseReferencePattern() {
    assertThat(errors(zvoWith("'^HV-\\d{4}-\\d{4}$'", "'^HV-(\\d{4}-\\d{4}$'")))
        .containsExactly(
            "zvo-midden.v3.yaml:54:21 purpose huisverbod: 'case-reference' is not a valid regular expression: Unclosed group near position 17");
  }

  @Test
  void rejectsInvalidPeriods() {
    assertThat(errors(zvoWith("    lookback: P5Y", "    lookback: P5X")))
        .containsExactly(
            "zvo-midden.v3.yaml:75:15 rule R2: 'lookback' must be an ISO-8601 period of years, months, weeks or days such as P5Y, P12M or P30D, found 'P5X'");
    assertThat(errors(zvoWith("retention: P5Y", "retention: P0D")))
        .containsExactly("zvo-midden.v3.yaml:6:12 'retention' must be longer than zero");
    assertThat(errors(zvoWith("retention: P5Y", "retention: 5 jaar"))).hasSize(1);
  }

  @Test
  void rejectsValidityEndingBeforeItStarts() {
    assertThat(errors(zvoWith("until: 2027-12-31", "until: 2025-12-31")))
        .containsExactly("zvo-midden.v3.yaml:5:34 valid: 'until' (2025-12-31) is before 'from' (2026-01-01)");
    assertThat(errors(zvoWith("until: 2027-12-31", "until: 2027-02-30")))
        .containsExactly(
            "zvo-midden.v3.yaml:5:34 valid: 'until' must be a date such as 2026-01-01, found '2027-02-30'");
  }

  @Test
  void allowsOnlyCountAboutAreas() {
    String yaml =
        zvoWith(
            "    area-level: buurt                       # buurt | wijk | gemeente; one level per rule\n    answer: count\n    disclosure: {min: 5, round: 5}",
            "    area-level: buurt\n    answer: hit-any");
    assertThat(errors(yaml))
        .containsExactly(
            "zvo-midden.v3.yaml:89:13 rule R4: answer 'hit-any' is not allowed for subject area: area questions are answered with count only");
  }

  @Test
  void allowsAreaLevelOnlyWithSubjectAreaAndRequiresItThere() {
    assertThat(
            errors(
                zvoWith(
                    "    responders: [veilig-thuis]\n    subject: person\n",
                    "    responders: [veilig-thuis]\n    subject: person\n    area-level: wijk\n")))
        .containsExactly(
            "zvo-midden.v3.yaml:82:17 rule R3: 'area-level' is only allowed with subject area (this rule is about person)");
    assertThat(
            errors(
                zvoWith(
                    "    area-level: buurt                       # buurt | wijk | gemeente; one level per rule\n",
                    "")))
        .containsExactly(
            "zvo-midden.v3.yaml:83:5 rule R4: subject area needs 'area-level' (buurt, wijk or gemeente)");
    assertThat(errors(zvoWith("    area-level: buurt ", "    area-level: straat ")))
        .containsExactly(
            "zvo-midden.v3.yaml:88:17 rule R4: 'area-level' must be buurt, wijk or gemeente, found 'straat'");
  }

  @Test
  void allowsDisclosureOnlyWithCount() {
    String yaml =
        zvoWith(
            "    answer: hit-per-party\n    four-eyes: true",
            "    answer: hit-per-party\n    disclosure: {min: 5, round: 5}\n    four-eyes: true");
    assertThat(errors(yaml))
        .containsExactly(
            "zvo-midden.v3.yaml:97:17 rule R5: 'disclosure' is only allowed with answer count (this rule answers hit-per-party)");
  }

  @Test
  void requiresWellFormedDisclosure() {
    assertThat(errors(zvoWith("{bands: [0, 1, 3, 6]}", "{bands: [1, 3, 6]}")))
        .containsExactly(
            "zvo-midden.v3.yaml:76:26 rule R2: 'bands' must start at 0, so that zero has a band of its own");
    assertThat(errors(zvoWith("{bands: [0, 1, 3, 6]}", "{bands: [0, 3, 3]}")))
        .containsExactly(
            "zvo-midden.v3.yaml:76:32 rule R2: 'bands' must be strictly increasing, but 3 follows 3");
    assertThat(errors(zvoWith("{bands: [0, 1, 3, 6]}", "{bands: [0]}")))
        .containsExactly("zvo-midden.v3.yaml:76:25 rule R2: 'bands' needs at least two bounds, e.g. [0, 1, 3, 6]");
    assertThat(errors(zvoWith("{bands: [0, 1, 3, 6]}", "{bands: [0, 1], min: 2}")))
        .containsExactly(
            "zvo-midden.v3.yaml:76:17 rule R2: 'disclosure' takes either 'bands' or 'min' and 'round', not both");
    assertThat(errors(zvoWith("{min: 5, round: 5}", "{min: 0}")))
        .containsExactly(
            "zvo-midden.v3.yaml:90:17 rule R4: 'disclosure' with 'min' needs 'round' (use round: 1 for no rounding)",
            "zvo-midden.v3.yaml:90:23 rule R4: 'min' must be at least 1, found 0");
    assertThat(errors(zvoWith("{min: 5, round: 5}", "{min: 5, round: 5, zero: hide}")))
        .containsExactly("zvo-midden.v3.yaml:90:42 rule R4: 'zero' must be show or suppress, found 'hide'");
    assertThat(errors(zvoWith("{min: 5, round: 5}", "{}")))
        .containsExactly(
            "zvo-midden.v3.yaml:90:17 rule R4: 'disclosure' needs either 'bands' (e.g. [0, 1, 3, 6]) or 'min' and 'round'");
  }

  @Test
  void rejectsOverlappingRules() {
    String yaml =
        zvoWith(
            "  - id: R4\n",
            "  - id: R6\n    purpose: huisverbod\n    askers: [gemeente-oov]\n    responders: [veilig-thuis]\n"
                + "    subject: person\n    answer: hit-any\n  - id: R4\n");
    assertThat(errors(yaml))
        .containsExactly(
            "zvo-midden.v3.yaml:83:5 rule R6: overlaps rule R3: both let gemeente-oov.burgemeester ask veilig-thuis about subject person for purpose huisverbod; rules for the same purpose, asker, responder and subject must not overlap");
  }

  @Test
  void acceptsRulesThatDifferInRoleResponderOrSubject() {
    String yaml =
        zvoWith(
            "  - id: R4\n",
            "  - id: R6\n    purpose: huisverbod\n    askers: [gemeente-oov.oov-adviseur]\n    responders: [veilig-thuis]\n"
                + "    subject: person\n    answer: hit-any\n"
                + "  - id: R7\n    purpose: huisverbod\n    askers: [gemeente-oov.burgemeester]\n    responders: [woningcorporatie]\n"
                + "    subject: person\n    answer: hit-any\n  - id: R4\n");
    assertThat(Fixtures.parse(yaml).rules()).hasSize(7);
  }

  @Test
  void rejectsRefusalsNamingUnknownPartiesOrSubjectTypes() {
    assertThat(
            errors(
                zvoWith(
                    "  - responders: [belastingdienst]\n    subjects: [person]",
                    "  - responders: [belastingdienst, fiscus]\n    subjects: [persoon]")))
        .containsExactly(
            "zvo-midden.v3.yaml:105:35 refusals[0]: responder 'fiscus' is not a party",
            "zvo-midden.v3.yaml:106:16 refusals[0]: subject must be person, address, organisation or area, found 'persoon' (did you mean 'person'?)");
  }

  @Test
  void requiresWellFormedLimits() {
    assertThat(
            errors(
                zvoWith(
                    "  - {purpose: huisverbod, per: analyst, max: 20, window: P1D}",
                    "  - {purpose: huisverbood, per: analist, max: 0, window: P1M}")))
        .containsExactly(
            "zvo-midden.v3.yaml:101:15 limits[1]: 'purpose' must be 'any' or a purpose of this convenant, found 'huisverbood' (did you mean 'huisverbod'?)",
            "zvo-midden.v3.yaml:101:33 limits[1]: 'per' must be analyst or party, found 'analist' (did you mean 'analyst'?)",
            "zvo-midden.v3.yaml:101:47 limits[1]: 'max' must be at least 1, found 0",
            "zvo-midden.v3.yaml:101:58 limits[1]: 'window' must be an ISO-8601 duration in weeks, days, hours, minutes or seconds such as P1D or PT1H, found 'P1M'; months and years have no fixed length");
  }

  @Test
  void refusesYamlOneOneBooleansAndTags() {
    assertThat(errors(zvoWith("    four-eyes: true", "    four-eyes: yes")))
        .containsExactly("zvo-midden.v3.yaml:97:16 rule R5: 'four-eyes' must be true or false, found 'yes'");
    assertThat(errors(zvoWith("    four-eyes: true", "    four-eyes: !flag true")))
        .containsExactly("zvo-midden.v3.yaml:97:16 rule R5: 'four-eyes': YAML tag '!flag' is not allowed");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirPlace() {
    assertThat(errors(zvoWith("title: Convenant", "title:\tConvenant")))
        .singleElement()
        .asString()
        .startsWith("zvo-midden.v3.yaml:4:7 not valid YAML: while scanning for the next token; found character '\\t(TAB)'");
    assertThat(errors(zvo() + "---\nformat: x\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "zvo-midden.v3.yaml:108:1 not valid YAML: expected a single document in the stream; but found another document");
  }

  @Test
  void rejectsEmptyAndNonMappingFiles() {
    assertThat(errors("")).containsExactly("zvo-midden.v3.yaml: file holds no YAML document");
    assertThat(errors("# nothing but a comment\n"))
        .containsExactly("zvo-midden.v3.yaml: file holds no YAML document");
    assertThat(errors("- a\n- b\n"))
        .containsExactly(
            "zvo-midden.v3.yaml:1:1 the convenant must be a mapping of names to values, found a list");
  }

  @Test
  void doesNotCascadeFromABrokenSection() {
    assertThat(errors(zvoWith("parties:", "parties: [a, b]\nx:")))
        .containsExactly(
            "zvo-midden.v3.yaml:8:10 'parties' must be a mapping of names to values, found a list",
            "zvo-midden.v3.yaml:9:1 unknown key 'x'");
  }

  @Test
  void collectsAllErrorsInFileOrder() {
    String yaml =
        Fixtures.edit(
            Fixtures.edit(
                Fixtures.edit(
                    zvoWith("format: schakel/covenant/v1", "format: v2"),
                    "    lookback: P5Y",
                    "    lookback: 5Y"),
                "  - {purpose: any, per: party, max: 2000, window: P1D}",
                "  - {purpose: any, per: party, max: -1, window: P1D}"),
            "    name: RIEC Midden-Nederland",
            "    naam: RIEC Midden-Nederland");
    List<String> errors = errors(yaml);
    assertThat(errors).hasSize(5);
    assertThat(errors.get(0)).startsWith("zvo-midden.v3.yaml:1:9 'format'");
    assertThat(errors.get(1)).startsWith("zvo-midden.v3.yaml:16:5 party riec: unknown key 'naam'");
    assertThat(errors.get(2)).startsWith("zvo-midden.v3.yaml:16:5 party riec: missing required key 'name'");
    assertThat(errors.get(3)).startsWith("zvo-midden.v3.yaml:75:15 rule R2: 'lookback'");
    assertThat(errors.get(4)).startsWith("zvo-midden.v3.yaml:102:37 limits[2]: 'max'");
  }

  @Test
  void messageListsEveryError() {
    CovenantValidationException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            CovenantValidationException.class,
            () ->
                CovenantParser.parse(
                    zvoWith("format: schakel/covenant/v1", "format: v2").replace("version: 3", "version: x"),
                    "zvo.yaml"));
    assertThat(e.getMessage())
        .isEqualTo(
            "invalid convenant: 2 errors\n"
                + "  zvo.yaml:1:9 'format' must be 'schakel/covenant/v1', found 'v2'\n"
                + "  zvo.yaml:3:10 'version' must be a whole number of at least 1, found 'x'");
  }

  @Test
  void refusesAnchorsAndMergeKeys() {
    String yaml =
        zvoWith(
            "  zvh:\n    name: Zorg- en Veiligheidshuis regio Utrecht\n",
            "  zvh:\n    <<: {contact: x}\n    name: Zorg- en Veiligheidshuis regio Utrecht\n");
    assertThat(errors(yaml))
        .containsExactly(
            "zvo-midden.v3.yaml:13:5 party zvh: merge keys (<<) are not allowed; write every value out");
  }

  @Test
  void refusesPurposeIdAnyAndPartyIdsWithDots() {
    assertThat(errors(zvoWith("  ondermijning:\n", "  any:\n")))
        .contains("zvo-midden.v3.yaml:55:3 purpose id 'any' is reserved: limits use it for every purpose");
    assertThat(errors(zvoWith("  riec:\n", "  riec.nl:\n")))
        .anySatisfy(e -> assertThat(e).startsWith("zvo-midden.v3.yaml:15:3 party id must match"));
  }
}
