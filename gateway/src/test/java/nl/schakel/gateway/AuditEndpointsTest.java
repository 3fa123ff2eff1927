package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.MerkleHash;
import nl.schakel.audit.MerkleTree;
import nl.schakel.audit.ProofException;
import nl.schakel.audit.ProofVerifier;
import nl.schakel.audit.Receipt;
import nl.schakel.audit.Tiles;
import nl.schakel.proto.v1.AuditEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The audit endpoints over real HTTP on a real federation: signed receipts, who sees which
 * entries, proofs that check against the signed checkpoints, search by subject, and that every
 * audit call is itself logged.
 */
class AuditEndpointsTest {
  static final String KNOWN = "999990019";
  static final String OTHER = "999990032";
  private static final Base64.Decoder B64 = Base64.getDecoder();

  @TempDir
  static Path dir;
  static TestFederation fed;
  static ListAppender<ILoggingEvent> logs;
  /** zvh asks politie and veilig-thuis about KNOWN: politie answered. */
  static JsonObject askedPolitie;
  /** zvh asks only veilig-thuis about OTHER: politie took no part. */
  static JsonObject withoutPolitie;
  /** zvh asks only veilig-thuis about KNOWN. */
  static JsonObject knownWithoutPolitie;

  @BeforeAll
  static void start() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n");
    records.put("veilig-thuis", "person,999990019,melding,2026-01-10,BU03440101\n");
    fed = new TestFederation(dir, records, Duration.ofSeconds(5), null);
    askedPolitie = ask(KNOWN, "\"politie\",\"veilig-thuis\"");
    withoutPolitie = ask(OTHER, "\"veilig-thuis\"");
    knownWithoutPolitie = ask(KNOWN, "\"veilig-thuis\"");
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    fed.close();
  }

  static JsonObject ask(String bsn, String responders) throws Exception {
    HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"),
        "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\",\"bsn\":\""
            + bsn + "\"},\"responders\":[" + responders + "]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  static String politieAuditor() {
    return fed.token("politie", "a.auditor", "auditor");
  }

  static String fg() {
    return fed.token("zvh", "f.fg", "fg");
  }

  static HttpResponse<String> get(String path, String token) throws Exception {
    return fed.get(path, token);
  }

  static String ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  static CheckpointVerifier verifier() throws Exception {
    return CheckpointVerifier.forVerifierKey(ok(get("/v1/audit/verifier-key", fg())).trim());
  }

  static Checkpoint checkpoint() throws Exception {
    return verifier().verify(ok(get("/v1/audit/checkpoint", fg())));
  }

  static JsonArray entries(String token, long start, long end) throws Exception {
    return new JsonObject(ok(get("/v1/audit/entries?start=" + start + "&end=" + end, token))).getJsonArray("entries");
  }

  /** Query id of each readable question entry (INTENT/RESULT) in {@code entries}. */
  static Set<String> readableQueryIds(JsonArray entries) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i).getJsonObject("entry");
      if (e != null && !e.getString("kind").equals("AUDIT_ACCESS")) {
        ids.add(e.getString("queryId"));
      }
    }
    return ids;
  }

  static AuditEntry lastEntry() throws Exception {
    return AuditEntry.parseFrom(fed.auditLog.entry(fed.auditLog.size() - 1));
  }

  static List<byte[]> hashes(String body) {
    List<byte[]> out = new ArrayList<>();
    new JsonObject(body).getJsonArray("hashes").forEach(h -> out.add(B64.decode((String) h)));
    return out;
  }

  @Test
  void receiptOfARealResponseVerifiesWithThePublishedVerifierKey() throws Exception {
    JsonObject json = askedPolitie.getJsonObject("receipt");
    List<byte[]> proof = new ArrayList<>();
    json.getJsonArray("inclusionProof").forEach(h -> proof.add(B64.decode((String) h)));
    Receipt receipt = new Receipt(json.getLong("logIndex"), json.getLong("treeSize"),
        B64.decode(json.getString("leafHash")), proof, json.getString("checkpoint"));

    Checkpoint signed = receipt.verify(verifier());

    assertThat(signed.origin()).isEqualTo("schakel/test/gateway");
    assertThat(signed.rootHash()).isEqualTo(B64.decode(json.getString("rootHash")));
    // The receipt is for the RESULT entry of this very question.
    AuditEntry result = AuditEntry.parseFrom(fed.auditLog.entry(receipt.logIndex()));
    assertThat(result.getQueryId()).isEqualTo(askedPolitie.getString("queryId"));
    assertThat(result.getKind()).isEqualTo(AuditEntry.Kind.RESULT);
    Receipt forged = new Receipt(receipt.logIndex(), receipt.treeSize(), MerkleHash.leafHash(new byte[] {1}),
        proof, receipt.checkpoint());
    assertThatThrownBy(() -> forged.verify(verifier())).isInstanceOf(ProofException.class);
  }

  @Test
  void auditorSeesOwnPartysEntriesInFullAndOthersOnlyAsLeafHashes() throws Exception {
    JsonArray list = entries(politieAuditor(), 0, fed.auditLog.size());

    Set<String> readable = readableQueryIds(list);
    assertThat(readable).contains(askedPolitie.getString("queryId"))
        .doesNotContain(withoutPolitie.getString("queryId"), knownWithoutPolitie.getString("queryId"));
    for (int i = 0; i < list.size(); i++) {
      JsonObject item = list.getJsonObject(i);
      assertThat(item.getLong("index")).isEqualTo(i);
      byte[] leaf = fed.auditLog.entry(i);
      assertThat(B64.decode(item.getString("leafHash"))).isEqualTo(MerkleHash.leafHash(leaf));
      AuditEntry entry = AuditEntry.parseFrom(leaf);
      boolean politieTookPart = entry.getAskerParty().equals("politie") || entry.getRespondersList().stream()
          .anyMatch(r -> r.getParty().equals("politie") && r.getDecision().equals("allow"));
      // Withheld means withheld: neither the decoded entry nor the leaf bytes it decodes from.
      assertThat(item.containsKey("entry")).as("entry %d", i).isEqualTo(politieTookPart);
      assertThat(item.containsKey("leaf")).as("leaf %d", i).isEqualTo(politieTookPart);
    }
  }

  @Test
  void fgSeesEveryEntryInFullDecoded() throws Exception {
    long size = fed.auditLog.size();
    JsonArray list = entries(fg(), 0, size);

    assertThat(list).hasSize((int) size);
    assertThat(readableQueryIds(list)).contains(askedPolitie.getString("queryId"),
        withoutPolitie.getString("queryId"), knownWithoutPolitie.getString("queryId"));
    for (int i = 0; i < list.size(); i++) {
      JsonObject item = list.getJsonObject(i);
      assertThat(B64.decode(item.getString("leaf"))).isEqualTo(fed.auditLog.entry(i));
      assertThat(item.getJsonObject("entry").getString("kind")).isIn("INTENT", "RESULT", "AUDIT_ACCESS");
    }
    JsonObject result = list.getJsonObject((int) askedPolitie.getJsonObject("receipt").getLong("logIndex").longValue())
        .getJsonObject("entry");
    assertThat(result.getString("askerParty")).isEqualTo("zvh");
    assertThat(result.getString("purpose")).isEqualTo("zvh-casus");
    assertThat(result.getString("subjectType")).isEqualTo("PERSON");
    assertThat(result.getJsonArray("responders").getJsonObject(0).getString("party")).isEqualTo("politie");
  }

  @Test
  void analystIsRefusedAndTheAttemptIsLogged() throws Exception {
    long before = fed.auditLog.size();

    HttpResponse<String> r = get("/v1/audit/entries?start=0&end=1", fed.token("zvh", "p.jansen", "procesregisseur"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
    assertThat(fed.auditLog.size()).isEqualTo(before + 1);
    AuditEntry logged = lastEntry();
    assertThat(logged.getKind()).isEqualTo(AuditEntry.Kind.AUDIT_ACCESS);
    assertThat(logged.getAskerPerson()).isEqualTo("p.jansen");
    assertThat(logged.getStatus()).isEqualTo("refused");
  }

  @Test
  void leafHashesAnAuditorSeesRecomputeTheSignedRoot() throws Exception {
    Checkpoint signed = checkpoint();

    JsonArray list = entries(politieAuditor(), 0, signed.size());
    MerkleTree tree = new MerkleTree();
    list.forEach(item -> tree.append(B64.decode(((JsonObject) item).getString("leafHash"))));

    assertThat(tree.root()).isEqualTo(signed.rootHash());
  }

  @Test
  void proofsBetweenTwoSignedCheckpointsVerify() throws Exception {
    Checkpoint first = checkpoint();
    ask(OTHER, "\"veilig-thuis\"");
    Checkpoint second = checkpoint();
    assertThat(second.size()).isGreaterThan(first.size());

    List<byte[]> consistency = hashes(ok(get("/v1/audit/proof/consistency?first=" + first.size()
        + "&second=" + second.size(), politieAuditor())));
    ProofVerifier.verifyConsistency(first.size(), second.size(), first.rootHash(), second.rootHash(), consistency);

    long index = askedPolitie.getJsonObject("receipt").getLong("logIndex");
    List<byte[]> inclusion = hashes(ok(get("/v1/audit/proof/inclusion?index=" + index + "&treeSize=" + second.size(),
        politieAuditor())));
    ProofVerifier.verifyInclusion(MerkleHash.leafHash(fed.auditLog.entry(index)), index, second.size(), inclusion,
        second.rootHash());
  }

  @Test
  void tilesHoldTheLeafHashes() throws Exception {
    long size = fed.auditLog.size();
    int width = Tiles.partialWidth(0, size);
    String path = Tiles.path(0, 0, width);

    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fed.gateway.port() + "/v1/audit/" + path))
        .header("Authorization", "Bearer " + politieAuditor()).GET().build();
    HttpResponse<byte[]> r = fed.http.send(request, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    byte[] expected = new byte[width * 32];
    for (int i = 0; i < width; i++) {
      System.arraycopy(MerkleHash.leafHash(fed.auditLog.entry(i)), 0, expected, i * 32, 32);
    }
    assertThat(r.body()).isEqualTo(expected);
    assertThat(get("/v1/audit/tile/0/001", politieAuditor()).statusCode()).isEqualTo(404);
    assertThat(get("/v1/audit/tile/0/1", politieAuditor()).statusCode()).isEqualTo(400);
    assertThat(get("/v1/audit/tile/0/000.p/256", politieAuditor()).statusCode()).isEqualTo(400);
  }

  @Test
  void searchBySubjectFindsTheQuestionsAboutItAndNeverShowsTheBsn() throws Exception {
    logs.list.clear();
    HttpResponse<String> r = fed.post("/v1/audit/search", fg(),
        "{\"subject\":{\"type\":\"person\",\"bsn\":\"" + KNOWN + "\"},\"purpose\":\"zvh-casus\"}");

    String body = ok(r);
    assertThat(readableQueryIds(new JsonObject(body).getJsonArray("entries")))
        .contains(askedPolitie.getString("queryId"), knownWithoutPolitie.getString("queryId"))
        .doesNotContain(withoutPolitie.getString("queryId"));
    assertThat(body).doesNotContain(KNOWN);
    assertThat(logs.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(KNOWN));
    AuditEntry logged = lastEntry();
    assertThat(logged.getKind()).isEqualTo(AuditEntry.Kind.AUDIT_ACCESS);
    assertThat(logged.getAuditCall()).startsWith("POST /v1/audit/search").doesNotContain(KNOWN);
    AuditEntry question = AuditEntry.parseFrom(fed.auditLog.entry(askedPolitie.getJsonObject("receipt").getLong("logIndex")));
    assertThat(logged.getSubjectAuditPseudonym()).isEqualTo(question.getSubjectAuditPseudonym());
    assertThat(Arrays.toString(fed.auditLog.entry(fed.auditLog.size() - 1))).doesNotContain(KNOWN);
  }

  @Test
  void auditorSearchFindsOnlyEntriesItMayRead() throws Exception {
    String body = ok(fed.post("/v1/audit/search", politieAuditor(),
        "{\"subject\":{\"type\":\"person\",\"bsn\":\"" + KNOWN + "\"}}"));

    assertThat(readableQueryIds(new JsonObject(body).getJsonArray("entries")))
        .containsExactly(askedPolitie.getString("queryId"));
  }

  @Test
  void everyAuditCallAddsAnAuditAccessEntryBeforeItIsAnswered() throws Exception {
    for (String path : List.of("/v1/audit/checkpoint", "/v1/audit/verifier-key", "/v1/audit/entries?start=0&end=1",
        "/v1/audit/proof/inclusion?index=0&treeSize=1", "/v1/audit/proof/consistency?first=1&second=1",
        "/v1/audit/tile/0/000.p/1")) {
      long before = fed.auditLog.size();
      ok(get(path, politieAuditor()));
      assertThat(fed.auditLog.size()).as(path).isEqualTo(before + 1);
      AuditEntry logged = lastEntry();
      assertThat(logged.getKind()).isEqualTo(AuditEntry.Kind.AUDIT_ACCESS);
      assertThat(logged.getAskerParty()).isEqualTo("politie");
      assertThat(logged.getAuditCall()).startsWith("GET " + path.replaceAll("\\?.*", ""));
    }
    // The checkpoint is read after the access entry is durable: it covers it.
    Checkpoint signed = verifier().verify(ok(get("/v1/audit/checkpoint", politieAuditor())));
    assertThat(signed.size()).isEqualTo(fed.auditLog.size());
  }

  @Test
  void badParametersAre400ProblemsAndNotLogged() throws Exception {
    long size = fed.auditLog.size();
    for (String path : List.of("/v1/audit/entries?start=abc&end=1", "/v1/audit/entries?start=-1&end=1",
        "/v1/audit/entries?start=3&end=2", "/v1/audit/entries?start=0", "/v1/audit/entries?start=0&end=1001",
        "/v1/audit/entries?start=0&end=1&start=0", "/v1/audit/entries?start=0&end=1&limit=5",
        "/v1/audit/entries?start=0&end=" + (size + 5),
        "/v1/audit/proof/inclusion?index=0&treeSize=" + (size + 5), "/v1/audit/proof/inclusion?index=2&treeSize=2",
        "/v1/audit/proof/consistency?first=0&second=1", "/v1/audit/proof/consistency?first=3&second=2")) {
      HttpResponse<String> r = get(path, fg());
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue(Problem.CONTENT_TYPE);
      assertThat(new JsonObject(r.body()).getJsonArray("errors")).as(path).isNotEmpty();
    }
    HttpResponse<String> badBsn = fed.post("/v1/audit/search", fg(),
        "{\"subject\":{\"type\":\"person\",\"bsn\":\"123456789\"}}");
    assertThat(badBsn.statusCode()).isEqualTo(400);
    assertThat(badBsn.body()).doesNotContain("123456789").contains("subject.bsn");
    assertThat(fed.post("/v1/audit/search", fg(), "{\"bsn\":\"" + KNOWN + "\"}").statusCode()).isEqualTo(400);
    assertThat(fed.post("/v1/audit/search", fg(), "{\"from\":\"gisteren\"}").statusCode()).isEqualTo(400);
    assertThat(fed.auditLog.size()).isEqualTo(size);
  }

  @Test
  void withoutTokenNothingIsServed() throws Exception {
    assertThat(get("/v1/audit/checkpoint", null).statusCode()).isEqualTo(401);
  }
}
