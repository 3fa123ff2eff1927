package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.Evaluator;
import nl.schakel.covenant.Question;
import nl.schakel.covenant.SubjectType;
import nl.schakel.trust.sign.VerifyingKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code schakel covenant …} on a copy of the demo convenant, as an author, a signatory and a
 * professional use it: what it prints and the exit codes scripts rely on.
 */
class CovenantCommandTest {
  private static final Path DEMO = Path.of("../deploy/demo/covenants/zvo-midden.v3.yaml");
  private static final String MID_2026 = "2026-06-01";
  private static final List<String> PARTIES = List.of("gemeente-oov", "zvh", "riec", "politie", "veilig-thuis",
      "woningcorporatie", "sociaal-domein", "reclassering", "belastingdienst", "ggz");

  @TempDir Path dir;
  Path yaml;
  Path sigs;
  Path keys;

  record Run(int exit, String out, String err) {}

  static Run schakel(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Schakel.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeEach
  void copyTheDemoConvenant() throws Exception {
    Files.createDirectories(dir.resolve("covenants"));
    yaml = dir.resolve("covenants/zvo-midden.v3.yaml");
    sigs = dir.resolve("covenants/zvo-midden.v3.sigs");
    keys = dir.resolve("keys");
    Files.copy(DEMO, yaml);
  }

  private String keygen(String party, Path out) {
    Run run = schakel("covenant", "keygen", "--party", party, "--out", out.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    return run.out().strip();
  }

  private void sign(String party) {
    sign(party, keys.resolve(party + ".key.pem"));
  }

  private void sign(String party, Path key) {
    Run run = schakel("covenant", "sign", yaml.toString(), "--party", party, "--key", key.toString());
    assertThat(run.exit()).as(run.err()).isZero();
  }

  private void everyPartyHasAKey() {
    PARTIES.forEach(p -> keygen(p, keys));
  }

  private Run verify(String date) {
    return schakel("covenant", "verify", yaml.toString(), "--keys", keys.toString(), "--at", date);
  }

  private void replaceInYaml(String from, String to) throws Exception {
    String text = Files.readString(yaml);
    assertThat(text).containsOnlyOnce(from);
    Files.writeString(yaml, text.replace(from, to));
  }

  private int lineOf(String text) throws Exception {
    List<String> lines = Files.readAllLines(yaml);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("not in the file: " + text);
  }

  // ------------------------------------------------------------------------ validate, hash

  @Test
  void validateNamesTheConvenantAndCountsPartiesAndRules() {
    Run run = schakel("covenant", "validate", yaml.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo(yaml + ": valid (zvo-midden v3, 10 parties, 11 rules)\n");
  }

  @Test
  void validatePrintsEveryErrorWithFileLineAndColumnAndExitsOne() throws Exception {
    replaceInYaml("responders: [politie, woningcorporatie, reclassering]", "responders: [politi, woningcorporatie, reclassering]");
    replaceInYaml("title: Tijdelijk huisverbod", "titel: Tijdelijk huisverbod");
    int responderLine = lineOf("responders: [politi, ");
    int titleLine = lineOf("titel: Tijdelijk huisverbod");

    Run run = schakel("covenant", "validate", yaml.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    List<String> errors = run.err().lines().toList();
    assertThat(errors).anySatisfy(e -> assertThat(e).startsWith(yaml + ":" + titleLine + ":5 ").contains("titel"));
    assertThat(errors).anySatisfy(e -> assertThat(e)
        .isEqualTo(yaml + ":" + responderLine + ":18 rule R6: responder 'politi' is not a party (did you mean 'politie'?)"));
    assertThat(errors).allMatch(e -> e.matches(Pattern.quote(yaml.toString()) + ":\\d+:\\d+ .*"));
  }

  @Test
  void hashPrintsTheCanonicalHashAndNothingElse() throws Exception {
    Run run = schakel("covenant", "hash", yaml.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo(CovenantParser.parse(yaml).canonicalHashHex() + "\n").matches("[0-9a-f]{64}\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void hashDoesNotChangeWithCommentsButDoesWithMeaning() throws Exception {
    String before = schakel("covenant", "hash", yaml.toString()).out();
    Files.writeString(yaml, "# a comment\n" + Files.readString(yaml));
    assertThat(schakel("covenant", "hash", yaml.toString()).out()).isEqualTo(before);

    replaceInYaml("max: 200,", "max: 201,");

    assertThat(schakel("covenant", "hash", yaml.toString()).out()).isNotEqualTo(before);
  }

  // --------------------------------------------------------------------------------- keygen

  @Test
  void keygenWritesAnOwnerOnlyPrivateKeyAndAPublicKeyAndPrintsItsId() throws Exception {
    String keyId = keygen("politie", keys);

    assertThat(keyId).matches("[0-9a-f]{16}");
    assertThat(VerifyingKey.readPem(keys.resolve("politie.pub.pem")).keyId().value()).isEqualTo(keyId);
    assertThat(Files.readString(keys.resolve("politie.key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("politie.key.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void keygenNeverReplacesAKey() throws Exception {
    keygen("politie", keys);
    String before = Files.readString(keys.resolve("politie.key.pem"));

    Run again = schakel("covenant", "keygen", "--party", "politie", "--out", keys.toString());

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("politie.key.pem exists; keygen never replaces a key");
    assertThat(Files.readString(keys.resolve("politie.key.pem"))).isEqualTo(before);
  }

  @Test
  void keygenRefusesAPartyIdThatCouldLeaveTheDirectory() {
    Run run = schakel("covenant", "keygen", "--party", "../politie", "--out", keys.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("a party id is 1 to 64 of a-z, 0-9 and '-'");
    assertThat(dir.resolve("politie.key.pem")).doesNotExist();
  }

  // ----------------------------------------------------------------------------------- sign

  @Test
  void signWritesThePartysLineBesideTheFile() throws Exception {
    String keyId = keygen("politie", keys);

    Run run = schakel("covenant", "sign", yaml.toString(), "--party", "politie",
        "--key", keys.resolve("politie.key.pem").toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("politie signed zvo-midden v3 (hash " + CovenantParser.parse(yaml).canonicalHashHex()
        + ") with key " + keyId).contains("wrote " + sigs);
    assertThat(Files.readString(sigs)).matches("politie " + keyId + " [A-Za-z0-9+/]{86}==\n");
  }

  @Test
  void signingAgainReplacesThePartysLine() throws Exception {
    everyPartyHasAKey();
    sign("zvh");
    sign("politie");
    String newKey = keygen("politie", dir.resolve("new"));

    Run run = schakel("covenant", "sign", yaml.toString(), "--party", "politie",
        "--key", dir.resolve("new/politie.key.pem").toString());

    assertThat(run.out()).contains("replaced politie's earlier signature");
    assertThat(Files.readAllLines(sigs)).hasSize(2)
        .anySatisfy(l -> assertThat(l).startsWith("politie " + newKey + " "))
        .anySatisfy(l -> assertThat(l).startsWith("zvh "));
  }

  @Test
  void signRefusesAPartyThatIsNotInTheConvenant() {
    keygen("politie", keys);

    Run run = schakel("covenant", "sign", yaml.toString(), "--party", "politie-utrecht",
        "--key", keys.resolve("politie.key.pem").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("not signed: 'politie-utrecht' is not a party of zvo-midden v3; its parties are gemeente-oov, zvh,");
    assertThat(sigs).doesNotExist();
  }

  @Test
  void signRefusesAnInvalidFile() throws Exception {
    keygen("politie", keys);
    replaceInYaml("version: 3", "version: three");

    Run run = schakel("covenant", "sign", yaml.toString(), "--party", "politie",
        "--key", keys.resolve("politie.key.pem").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains(yaml + ":" + lineOf("version: three") + ":").contains("not signed: " + yaml + " is not a valid convenant");
    assertThat(sigs).doesNotExist();
  }

  // --------------------------------------------------------------------------------- verify

  @Test
  void verifyIsInForceOnlyWhenEveryPartySignedAndWithinTheDates() {
    everyPartyHasAKey();
    PARTIES.forEach(this::sign);

    Run inForce = verify(MID_2026);
    Run expired = verify("2028-01-01");

    assertThat(inForce.exit()).as(inForce.err()).isZero();
    assertThat(inForce.out()).contains("  politie           SIGNED   key ")
        .contains("signed by all 10 parties")
        .contains("valid from 2026-01-01 until 2027-12-31 (inclusive, Europe/Amsterdam)")
        .endsWith("in force on 2026-06-01: yes\n");
    assertThat(expired.exit()).isEqualTo(1);
    assertThat(expired.out()).endsWith("in force on 2028-01-01: no (expired on 2028-01-01: valid from 2026-01-01"
        + " until 2027-12-31 (inclusive, Europe/Amsterdam))\n");
  }

  @Test
  void verifySaysNotInForceWhileAPartyHasNotSigned() {
    everyPartyHasAKey();
    PARTIES.stream().filter(p -> !p.equals("zvh") && !p.equals("ggz")).forEach(this::sign);

    Run run = verify(MID_2026);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("  zvh               MISSING\n")
        .contains("  ggz               MISSING\n")
        .contains("signed by 8 of 10 parties; missing: zvh, ggz")
        .endsWith("in force on 2026-06-01: no (missing signatures: zvh, ggz)\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void verifyFailsNamingThePartiesWhoseSignaturesNoLongerMatchAChangedText() throws Exception {
    everyPartyHasAKey();
    List.of("zvh", "politie", "ggz").forEach(this::sign);
    // One character of the legal text.
    replaceInYaml("AWR art. 67", "AWR art. 68");

    Run run = verify(MID_2026);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("  politie           INVALID  the signature by key ")
        .contains("does not match this text: it was changed after politie signed")
        .contains("  riec              MISSING")
        .endsWith("in force on 2026-06-01: no (changed after signing: the signatures of zvh, politie, ggz no longer match)\n");
    assertThat(run.err()).contains("zvo-midden.v3.yaml (zvo-midden v3) was changed after it was signed:"
        + " the signatures of zvh, politie, ggz do not match its text.");
  }

  @Test
  void verifyAcceptsASignatureByThePartysSecondKeyDuringRotation() throws Exception {
    everyPartyHasAKey();
    PARTIES.stream().filter(p -> !p.equals("politie")).forEach(this::sign);
    Path next = dir.resolve("politie-next");
    String nextKey = keygen("politie", next);
    sign("politie", next.resolve("politie.key.pem"));

    Run unknownKey = verify(MID_2026);
    Files.copy(next.resolve("politie.pub.pem"), keys.resolve("politie.2.pub.pem"));
    Run rotated = verify(MID_2026);

    assertThat(unknownKey.exit()).isEqualTo(1);
    assertThat(unknownKey.out()).contains("  politie           INVALID  signed with key " + nextKey
            + ", which is not one of politie's keys (")
        .endsWith("in force on 2026-06-01: no (invalid signatures: politie)\n");
    assertThat(unknownKey.err()).as("an unknown key is no sign of tampering").isEmpty();
    assertThat(rotated.exit()).as(rotated.out()).isZero();
    assertThat(rotated.out()).contains("  politie           SIGNED   key " + nextKey);
  }

  @Test
  void verifyReportsBadSignatureLinesWithTheirLineNumbers() throws Exception {
    everyPartyHasAKey();
    sign("zvh");
    sign("politie");
    List<String> lines = Files.readAllLines(sigs);
    Files.writeString(sigs, lines.get(0) + "\n" + lines.get(1).replace("politie", "polite") + "\n"
        + lines.get(1).substring(0, 40) + "\n");

    Run run = verify(MID_2026);
    Run signing = schakel("covenant", "sign", yaml.toString(), "--party", "riec",
        "--key", keys.resolve("riec.key.pem").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines()).containsExactly(
        sigs + ":2:1 party 'polite' is not a party of convenant zvo-midden v3 (did you mean 'politie'?)",
        sigs + ":3:26 the signature is not canonical base64 (with '=' padding, as written by 'schakel covenant sign')");
    assertThat(signing.exit()).isEqualTo(1);
    assertThat(signing.err()).contains(sigs + ":2:1 ").endsWith("not signed: fix or remove " + sigs + " first\n");
  }

  @Test
  void verifyRefusesAKeyDirectoryThatDoesNotExist() {
    Run run = verify(MID_2026);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("key directory " + keys + " does not exist or is not a directory\n");
  }

  // -------------------------------------------------------------------------------- explain

  @Test
  void explainPutsEveryPurposeRuleRefusalAndLimitInPlainWords() {
    Run run = schakel("covenant", "explain", yaml.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("Convenant Zorg, Veiligheid en Ondermijning regio Midden (zvo-midden v3)")
        .contains("Purpose huisverbod: Tijdelijk huisverbod\n"
            + "  legal basis: Wet tijdelijk huisverbod art. 2; Wpg art. 16\n"
            + "  case reference: required, must match ^HV-\\d{4}-\\d{4}$\n"
            + "  Rule R2: gemeente-oov.burgemeester may ask politie about a person\n"
            + "    categories: only incident.huiselijk-geweld\n"
            + "    answer: a count of records, shown in bands 0, 1-2, 3-5, 6+\n"
            + "    records: only from the last 5 years\n"
            + "    four-eyes: no\n")
        .contains("  Rule R4: riec.analist may ask politie, woningcorporatie about an area at buurt level\n")
        .contains("below 5 shown as \"<5\", otherwise rounded to the nearest 5 after cell-key noise")
        .contains("  Rule R5: riec.analist may ask belastingdienst about an organisation\n")
        .contains("    four-eyes: yes, a second person allowed to ask under this rule must approve each question first\n")
        .contains("  belastingdienst never answers about a person: Fiscale geheimhoudingsplicht (AWR art. 67)\n")
        .contains("  ggz: Medisch beroepsgeheim (WGBO art. 7:457 BW)\n")
        .contains("  at most 20 questions per analyst per day, purpose huisverbod\n");
  }

  @Test
  void explainWithAPurposeShowsOnlyThatPurpose() {
    Run run = schakel("covenant", "explain", yaml.toString(), "--purpose", "zvh-casus");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("Purpose zvh-casus: Casusoverleg Zorg- en Veiligheidshuis\n")
        .contains("    categories: all they hold about a person (politie: incident.huiselijk-geweld; veilig-thuis: melding;")
        .doesNotContain("Purpose huisverbod")
        .doesNotContain("Rule R2");
  }

  @Test
  void explainAsAPartyRoleForOneSubjectTypeShowsOnlyThat() {
    Run run = schakel("covenant", "explain", yaml.toString(), "--as", "riec.analist", "--purpose", "ondermijning",
        "--subject-type", "organisation");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("What riec.analist may ask")
        .contains("may ask belastingdienst (rule R5)")
        .doesNotContain("About a person")
        .doesNotContain("About an area");
  }

  @Test
  void explainRefusesAnUnknownSubjectType() {
    Run run = schakel("covenant", "explain", yaml.toString(), "--as", "riec.analist", "--subject-type", "vehicle");

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("--subject-type");
  }

  @Test
  void explainForAnAskerShowsWhomTheyMayAndMayNotAskInTheGatewaysWords() throws Exception {
    Run run = schakel("covenant", "explain", yaml.toString(), "--party", "riec", "--role", "analist");

    // The same question as the gateway would evaluate it, with a valid case reference.
    Evaluator evaluator = new Evaluator(CovenantParser.parse(yaml));
    Question aboutAPerson = new Question("riec", Set.of("analist"), "ondermijning", Optional.of("RIEC-2026-0001"),
        SubjectType.PERSON, Optional.empty(), Set.of());
    Decision veiligThuis = evaluator.decide(aboutAPerson, "veilig-thuis", Instant.parse("2026-06-01T10:00:00Z"));
    assertThat(veiligThuis).isInstanceOf(Decision.Deny.class);

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("What riec.analist may ask")
        .contains("Purpose huisverbod (Tijdelijk huisverbod): may not ask anyone; no rule lets riec.analist ask for this purpose")
        .contains("    may ask belastingdienst (rule R5): hit or no-hit, per party; categories fiscaal-signaal\n"
            + "      four-eyes: a second person allowed to ask under rule R5 must approve first\n")
        .contains("    may ask politie (rule R4) at buurt level: a count of records")
        .contains("    may NOT ask veilig-thuis (no-rule): " + ((Decision.Deny) veiligThuis).text() + "\n")
        .contains("    may NOT ask ggz (secrecy): Medisch beroepsgeheim (WGBO art. 7:457 BW)\n")
        .contains("  About an address: may ask nobody\n")
        .doesNotContain("purpose huisverbod\n");
  }

  @Test
  void explainForAPartyWithoutRoleCoversEachOfItsRoles() {
    Run run = schakel("covenant", "explain", yaml.toString(), "--party", "gemeente-oov", "--purpose", "opiumwet-13b");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("What gemeente-oov.burgemeester may ask\n\nPurpose opiumwet-13b (Sluiting drugspand (artikel 13b Opiumwet)): may not ask anyone")
        .contains("What gemeente-oov.oov-adviseur may ask")
        .contains("    may ask politie (rule R7): hit or no-hit, per party; categories incident.drugs;"
            + " only records from the last 12 months\n      after a hit, contact: Infodesk Politie Midden-Nederland\n")
        .contains("    may ask sociaal-domein (rule R9)")
        .doesNotContain("Purpose huisverbod");
  }

  @Test
  void explainRefusesUnknownPartiesRolesAndPurposes() {
    Run noParty = schakel("covenant", "explain", yaml.toString(), "--role", "analist");
    Run badParty = schakel("covenant", "explain", yaml.toString(), "--party", "rie");
    Run badRole = schakel("covenant", "explain", yaml.toString(), "--party", "riec", "--role", "burgemeester");
    Run badPurpose = schakel("covenant", "explain", yaml.toString(), "--purpose", "fraude");

    assertThat(List.of(noParty, badParty, badRole, badPurpose)).allMatch(r -> r.exit() == 1 && r.out().isEmpty());
    assertThat(noParty.err()).isEqualTo("--role needs --party: a role belongs to a party\n");
    assertThat(badParty.err()).startsWith("'rie' is not a party of zvo-midden v3; its parties are gemeente-oov");
    assertThat(badRole.err()).isEqualTo("'burgemeester' is not a role of riec in zvo-midden v3; its roles are analist\n");
    assertThat(badPurpose.err()).isEqualTo("'fraude' is not a purpose of zvo-midden v3; its purposes are"
        + " zvh-casus, huisverbod, ondermijning, opiumwet-13b, bibob\n");
  }

  @Test
  void covenantWithoutASubcommandIsAUsageError() {
    Run run = schakel("covenant");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Missing subcommand");
  }

}
