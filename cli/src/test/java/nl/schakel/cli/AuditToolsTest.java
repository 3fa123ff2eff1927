package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.audit.MerkleHash;
import nl.schakel.audit.MerkleTree;
import nl.schakel.cli.AuditCommandTest.Run;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.ResponderEntry;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schakel audit search|export|cross-check} against the demo federation as {@code schakel up}
 * starts it, after real questions: what a privacy officer, an FG and a node's auditor run.
 */
class AuditToolsTest {
  static final String BSN = "999990019";

  @TempDir
  static Path temp;
  static LocalFederation federation;
  static TokenMinter tokens;
  /** The demo gateway's note verifier key, as an auditor fetches it once. */
  static String verifierKey;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void up() throws Exception {
    Path dir = DemoScenariosTest.demoCopy(temp.resolve("demo"));
    federation = LocalFederation.start(dir, Clock.fixed(DemoScenariosTest.TODAY, ZoneOffset.UTC),
        DemoSignaturesTest.PKI_CLOCK, DemoScenariosTest.quiet());
    tokens = new TokenMinter(DemoIssuerKey.loadOrCreate(LocalFederation.keysDir(dir)), Clock.systemUTC());
    ask(token("zvh", "p.regisseur", "procesregisseur"), DemoScenariosTest.ZVH_CASUS);
    ask(token("zvh", "q.regisseur", "procesregisseur"),
        DemoScenariosTest.question("zvh-casus", "ZVH-2026-00043", DemoScenariosTest.person("999990032")));
    ask(token("gemeente-oov", "s.burgemeester", "burgemeester"), DemoScenariosTest.HUISVERBOD);
    HttpResponse<String> key = http.send(HttpRequest.newBuilder(
            URI.create(federation.gatewayUrl() + "/v1/audit/verifier-key"))
        .header("Authorization", "Bearer " + politieAuditor()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
    verifierKey = key.body().strip();
  }

  @AfterAll
  static void down() {
    if (federation != null) {
      federation.close();
    }
  }

  static String token(String party, String person, String role) {
    return tokens.mint(new AnalystClaims(LocalFederation.issuer("midden"), LocalFederation.AUDIENCE, party, person,
        List.of(role), Duration.ofMinutes(5)));
  }

  static void ask(String token, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(federation.gatewayUrl() + "/v1/queries"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static String fg() {
    return token("politie", "f.fg", "fg");
  }

  static String politieAuditor() {
    return token("politie", "a.auditor", "auditor");
  }

  static List<AuditEntry> gatewayEntries() throws Exception {
    return DemoScenariosTest.auditEntries(federation.auditLog());
  }

  // ------------------------------------------------------------------ search

  @Test
  void searchFindsWhoAskedAboutAPersonAndTheBsnAppearsInNoUrlOutputOrLogEntry() throws Exception {
    Run run = AuditCommandTest.schakel("audit", "search", "--gateway", federation.gatewayUrl(), "--token", fg(),
        "--subject-bsn", BSN);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("zvh/p.regisseur", "zvh-casus", "ZVH-2026-00042", "gemeente-oov/s.burgemeester",
        "huisverbod").doesNotContain("q.regisseur").doesNotContain(BSN);
    assertThat(run.out()).containsPattern("\\d+ matching entries");
    assertThat(gatewayEntries()).filteredOn(e -> e.getKind() == AuditEntry.Kind.AUDIT_ACCESS)
        .extracting(AuditEntry::getAuditCall).contains("POST /v1/audit/search subject=person")
        .noneSatisfy(call -> assertThat(call).contains(BSN));
  }

  @Test
  void searchReadsTheBsnFromStandardInputWhenGivenAsDash() {
    InputStream stdin = System.in;
    Run run;
    try {
      System.setIn(new ByteArrayInputStream((BSN + "\n").getBytes(StandardCharsets.UTF_8)));
      run = AuditCommandTest.schakel("audit", "search", "--gateway", federation.gatewayUrl(), "--token", fg(),
          "--subject-bsn", "-");
    } finally {
      System.setIn(stdin);
    }

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("zvh/p.regisseur", "ZVH-2026-00042", "gemeente-oov/s.burgemeester")
        .doesNotContain("q.regisseur").doesNotContain(BSN);
  }

  @Test
  void aDashWithNothingOnStandardInputIsAnErrorNotAnEmptySearch() {
    InputStream stdin = System.in;
    Run run;
    try {
      System.setIn(new ByteArrayInputStream(new byte[0]));
      run = AuditCommandTest.schakel("audit", "search", "--gateway", federation.gatewayUrl(), "--token", fg(),
          "--subject-bsn", "-");
    } finally {
      System.setIn(stdin);
    }

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("--subject-bsn -: expected a line on standard input");
  }

  @Test
  void successiveDashOptionsTakeSuccessiveLines() throws IOException {
    InputStream in = new ByteArrayInputStream("1234AB\r\n12\n".getBytes(StandardCharsets.UTF_8));

    assertThat(AuditSearchCommand.fromStdin("-", "--subject-postcode", in)).isEqualTo("1234AB");
    assertThat(AuditSearchCommand.fromStdin("7", "--subject-number", in)).isEqualTo("7");
    assertThat(AuditSearchCommand.fromStdin("-", "--subject-number", in)).isEqualTo("12");
  }

  @Test
  void textFromTheServerIsPrintedWithoutControlCharacters() {
    assertThat(AuditGateway.printable("q-1\u001b[2J\nMISMATCH: none\u007f\u009b\tok é")).isEqualTo("q-1[2JMISMATCH: noneok é");
    assertThat(AuditGateway.printable(new JsonObject().put("a\r", new JsonArray().add("x\u0007y").add(3))))
        .isEqualTo(new JsonObject().put("a", new JsonArray().add("xy").add(3)));
  }

  @Test
  void searchNarrowsByAnalystAndPurposeAndPrintsJson() {
    Run run = AuditCommandTest.schakel("audit", "search", "--gateway", federation.gatewayUrl(), "--token", fg(),
        "--analyst", "q.regisseur", "--purpose", "zvh-casus", "--format", "json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonArray entries = new JsonObject(run.out()).getJsonArray("entries");
    assertThat(entries).hasSize(2).allSatisfy(e -> assertThat(((JsonObject) e).getJsonObject("entry")
        .getString("caseReference")).isEqualTo("ZVH-2026-00043"));
  }

  @Test
  void searchByAnAnalystWithoutAnAuditRoleIsRefusedWithExitOne() {
    Run run = AuditCommandTest.schakel("audit", "search", "--gateway", federation.gatewayUrl(), "--token",
        token("zvh", "p.regisseur", "procesregisseur"), "--subject-bsn", BSN);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("HTTP 403", "Not an auditor").doesNotContain(BSN);
  }

  // ------------------------------------------------------------------ export

  @Test
  void exportWritesOneCsvRowPerEntryWithAHeader() throws Exception {
    Path csv = temp.resolve("export.csv");
    Run run = AuditCommandTest.schakel("audit", "export", "--gateway", federation.gatewayUrl(), "--token", fg(),
        "--format", "csv", "--out", csv.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> lines = List.of(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n"));
    assertThat(lines.get(0)).isEqualTo(String.join(",", AuditTable.COLUMNS));
    List<AuditEntry> entries = gatewayEntries();
    // Every entry up to the checkpoint the export read first: the export's own calls come after.
    assertThat(lines.size() - 1L).isBetween(7L, (long) entries.size());
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i)).startsWith((i - 1) + ",");
    }
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(",RESULT,", "zvh,p.regisseur", "politie:allow:hit"));
    assertThat(String.join("\n", lines)).doesNotContain(BSN);
  }

  @Test
  void anAuditorsExportShowsOtherPartiesEntriesAsLeafHashesOnly() {
    Run run = AuditCommandTest.schakel("audit", "export", "--gateway", federation.gatewayUrl(), "--token",
        token("riec", "r.auditor", "auditor"), "--format", "json", "--start", "0", "--end", "6");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonArray entries = new JsonObject(run.out()).getJsonArray("entries");
    assertThat(entries).hasSize(6).allSatisfy(e -> {
      assertThat(((JsonObject) e).getString("leafHash")).isNotEmpty();
      assertThat(((JsonObject) e).containsKey("entry")).isFalse();
    });
  }

  @Test
  void csvQuotesFieldsWithCommasQuotesAndLineBreaks() {
    assertThat(AuditTable.csv(List.of("1", "a,b", "say \"hi\"", "two\nlines", "plain")))
        .isEqualTo("1,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\r\n");
  }

  // ------------------------------------------------------------------ cross-check

  /** The politie node's own log, as the node wrote it: {@code <state-dir>/audit-log}. */
  static Path politieNodeLog() throws IOException {
    try (var walk = Files.walk(temp.resolve("demo"))) {
      return walk.filter(p -> p.getFileName().toString().equals("audit-log") && Files.isDirectory(p)
          && p.getParent().getFileName().toString().equals("politie")).findFirst().orElseThrow();
    }
  }

  /** A copy of the politie node's real log, its entries passed through {@code change}: a tampered log. */
  static Path nodeLog(String name, UnaryOperator<List<NodeLogEntry>> change) throws Exception {
    List<NodeLogEntry> entries = AuditCrossCheckCommand.readNodeLog(politieNodeLog(),
        new java.io.PrintWriter(java.io.Writer.nullWriter()));
    Path dir = temp.resolve(name);
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      for (NodeLogEntry e : change.apply(new ArrayList<>(entries))) {
        log.append(e.toByteArray()).join();
      }
    }
    return dir;
  }

  static Run crossCheck(Path nodeLog) {
    return crossCheck(nodeLog, verifierKey);
  }

  static Run crossCheck(Path nodeLog, String key) {
    return AuditCommandTest.schakel("audit", "cross-check", "--node-log", nodeLog.toString(), "--party", "politie",
        "--gateway", federation.gatewayUrl(), "--token", politieAuditor(), "--key", key);
  }

  static String firstPolitieQuery() throws Exception {
    return gatewayEntries().stream().filter(e -> e.getKind() == AuditEntry.Kind.RESULT)
        .filter(e -> e.getRespondersList().stream().anyMatch(r -> r.getParty().equals("politie")
            && !r.getAnswerHash().isEmpty()))
        .findFirst().orElseThrow().getQueryId();
  }

  @Test
  void theNodesOwnLogMatchesTheGatewaysLogWithCounts() throws Exception {
    Run run = crossCheck(politieNodeLog());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("3 answered questions", "OK: all 3 answers match in both logs");
  }

  @Test
  void anAnswerMissingFromTheNodeLogIsAMismatchNamingTheQueryAndTheGatewayIndex() throws Exception {
    String query = firstPolitieQuery();
    Run run = crossCheck(nodeLog("node-missing",
        l -> l.stream().filter(e -> !e.getQuestionId().equals(query)).toList()));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).containsPattern("MISMATCH: query " + query + ": gateway log index \\d+ records an answer from"
        + " politie .*but the node log has no answer to it");
    assertThat(run.out()).contains("FAILED: 1 mismatch(es), 2 answers match");
  }

  @Test
  void aChangedAnswerHashIsAMismatchNamingBothIndexes() throws Exception {
    String query = firstPolitieQuery();
    Run run = crossCheck(nodeLog("node-changed", l -> l.stream().map(e -> e.getQuestionId().equals(query)
        ? e.toBuilder().setAnswerHash(ByteString.copyFrom(new byte[32])).build() : e).toList()));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).containsPattern("MISMATCH: query " + query
        + ": answer hash differs: node log index \\d+ has 0000000000000000…, gateway log index \\d+ has");
  }

  @Test
  void aQuestionTheNodeAnsweredThatTheGatewayHidIsAMismatch() throws Exception {
    Run run = crossCheck(nodeLog("node-extra", l -> {
      List<NodeLogEntry> more = new ArrayList<>(l);
      more.add(NodeLogEntry.newBuilder().setQuestionId("q-hidden-by-the-gateway").setOutcome(Outcome.HIT)
          .setAnswerHash(ByteString.copyFrom(new byte[32])).build());
      return more;
    }));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).containsPattern("MISMATCH: query q-hidden-by-the-gateway: node log index \\d+ answered it, but"
        + " the gateway log has no RESULT entry for it");
  }

  @Test
  void aQueryIdAnsweredTwiceInTheNodeLogIsAMismatch() throws Exception {
    String query = firstPolitieQuery();
    Run run = crossCheck(nodeLog("node-duplicate", l -> {
      List<NodeLogEntry> more = new ArrayList<>(l);
      more.add(l.stream().filter(e -> e.getQuestionId().equals(query)).findFirst().orElseThrow());
      return more;
    }));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).containsPattern("MISMATCH: query " + query
        + ": answered more than once in the node log, at index \\d+ and at index \\d+");
    assertThat(run.out()).contains("FAILED: 1 mismatch(es), 3 answers match");
  }

  @Test
  void aCheckpointSignedByAnotherKeyIsNotTrusted() throws Exception {
    String stranger = new CheckpointSigner(SigningKey.generate(new SecureRandom()), verifierKey.split("\\+")[0])
        .verifierKey();

    Run run = crossCheck(politieNodeLog(), stranger);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("NOT VERIFIED: the gateway's checkpoint is not signed by --key");
    assertThat(run.out()).doesNotContain("OK:");
  }

  @Test
  void aMalformedKeyIsAnError() throws Exception {
    Run run = crossCheck(politieNodeLog(), "not-a-key");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("--key:");
  }

  /** A gateway listing of {@code count} RESULT entries, as {@code /v1/audit/entries} sends it to the fg. */
  static List<JsonObject> listing(int count) {
    List<JsonObject> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] leaf = AuditEntry.newBuilder().setKind(AuditEntry.Kind.RESULT).setQueryId("q-" + i)
          .addResponders(ResponderEntry.newBuilder().setParty("politie")
              .setAnswerHash(ByteString.copyFrom(new byte[] {(byte) i})))
          .build().toByteArray();
      entries.add(new JsonObject().put("index", i)
          .put("leafHash", Base64.getEncoder().encodeToString(MerkleHash.leafHash(leaf)))
          .put("leaf", Base64.getEncoder().encodeToString(leaf)));
    }
    return entries;
  }

  /** The checkpoint a real gateway signs over {@code entries}, verified as cross-check verifies it. */
  static Checkpoint signedOver(List<JsonObject> entries) {
    MerkleTree tree = new MerkleTree();
    entries.forEach(e -> tree.append(Base64.getDecoder().decode(e.getString("leafHash"))));
    CheckpointSigner signer = new CheckpointSigner(SigningKey.generate(new SecureRandom()), "schakel/test/gateway");
    return CheckpointVerifier.forVerifierKey(signer.verifierKey()).verify(signer.sign(tree.size(), tree.root()));
  }

  @Test
  void anHonestListingVerifiesAgainstItsSignedCheckpoint() {
    List<JsonObject> entries = listing(5);

    assertThat(AuditCrossCheckCommand.unverified(signedOver(entries), entries)).isEmpty();
  }

  @Test
  void aLeafAlteredAfterLoggingFailsNamingItsIndex() {
    List<JsonObject> entries = listing(5);
    Checkpoint checkpoint = signedOver(entries);
    byte[] forged = AuditEntry.newBuilder().setKind(AuditEntry.Kind.RESULT).setQueryId("q-2").build().toByteArray();
    entries.get(2).put("leaf", Base64.getEncoder().encodeToString(forged));

    assertThat(AuditCrossCheckCommand.unverified(checkpoint, entries))
        .hasValueSatisfying(why -> assertThat(why).contains("entry at index 2 does not hash to its leafHash"));
  }

  @Test
  void aListingMadeUpWithConsistentLeafHashesDoesNotRebuildTheSignedRoot() {
    List<JsonObject> entries = listing(5);
    Checkpoint checkpoint = signedOver(entries);
    byte[] forged = AuditEntry.newBuilder().setKind(AuditEntry.Kind.RESULT).setQueryId("q-made-up").build()
        .toByteArray();
    entries.set(3, new JsonObject().put("index", 3)
        .put("leafHash", Base64.getEncoder().encodeToString(MerkleHash.leafHash(forged)))
        .put("leaf", Base64.getEncoder().encodeToString(forged)));

    assertThat(AuditCrossCheckCommand.unverified(checkpoint, entries))
        .hasValueSatisfying(why -> assertThat(why).startsWith("gateway entries do not hash to the signed checkpoint's root"));
  }

  @Test
  void aListingWithAnEntryLeftOutOrOutOfOrderFails() {
    List<JsonObject> entries = listing(5);
    Checkpoint checkpoint = signedOver(entries);
    List<JsonObject> swapped = new ArrayList<>(entries);
    swapped.set(1, entries.get(2));
    swapped.set(2, entries.get(1));
    List<JsonObject> shorter = new ArrayList<>(entries.subList(0, 4));

    assertThat(AuditCrossCheckCommand.unverified(checkpoint, swapped))
        .hasValue("the gateway's entry at position 1 has index 2, expected 1");
    assertThat(AuditCrossCheckCommand.unverified(checkpoint, shorter))
        .hasValue("the gateway listed 4 entries, but its signed checkpoint covers 5");
  }

  @Test
  void aDirectoryThatIsNoAuditLogIsAnError() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("not-a-log"));

    Run run = crossCheck(empty);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("not an audit log directory");
  }
}
