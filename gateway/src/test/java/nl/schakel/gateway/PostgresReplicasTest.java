package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.ProofVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway replicas behind one load balancer share one audit log in PostgreSQL (decision D18):
 * questions answered by either are on one gap-free Merkle tree, and each replica's receipts and
 * checkpoints verify against the other's.
 */
class PostgresReplicasTest {
  @TempDir static Path dir;
  static EmbeddedPostgres postgres;
  static TestFederation fed;
  static Gateway first;
  static Gateway second;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
    Path password = dir.resolve("db.password");
    Files.writeString(password, "postgres\n"); // the embedded server trusts local connections
    fed = new TestFederation(dir.resolve("fed"), Map.of(
        "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n",
        "veilig-thuis", "person,999990044,melding,2026-01-10,BU03440101\n"), Duration.ofSeconds(5), null);
    GatewayConfig.AuditPostgres store = new GatewayConfig.AuditPostgres(
        postgres.getJdbcUrl("postgres", "postgres"), "postgres", Optional.empty(), Optional.of(password), "gateway_log");
    first = Gateway.start(replica(store, "first"), fed.clock);
    second = Gateway.start(replica(store, "second"), fed.clock);
  }

  /** The federation's gateway config on PostgreSQL, with this replica's own admission state. */
  private static GatewayConfig replica(GatewayConfig.AuditPostgres store, String name) {
    GatewayConfig c = fed.config;
    return new GatewayConfig(c.federation(), c.listen(), c.deadline(), c.nodes(), c.covenants(), c.partyKeys(),
        c.matchingKey(), c.auditKey(), c.auditLog(), c.analysts(), dir.resolve(name), c.pki(), c.witnessInterval(),
        Optional.of(store));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {second, first, fed, postgres}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static CompletableFuture<HttpResponse<String>> ask(Gateway gateway, String token, String bsn) {
    String body = "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\","
        + "\"bsn\":\"" + bsn + "\"}}";
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/queries"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void replicasAnsweringAtOnceAppendToOneGapFreeTreeWithConsistentCheckpoints() throws Exception {
    String token = fed.token("zvh", "p.jansen", "procesregisseur");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(ask(i % 2 == 0 ? first : second, token, i % 3 == 0 ? "999990044" : "999990019"));
    }
    Set<Long> indexes = new HashSet<>();
    List<JsonObject> receipts = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.join();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject receipt = new JsonObject(r.body()).getJsonObject("receipt");
      receipts.add(receipt);
      assertThat(indexes.add(receipt.getLong("logIndex"))).as("one index per result entry").isTrue();
    }

    // Every receipt, whichever replica gave it, is included in the tree its own signed checkpoint names.
    CheckpointVerifier verifier = CheckpointVerifier.forVerifierKey(
        get(first, "/v1/audit/verifier-key").strip());
    Checkpoint newest = null;
    for (JsonObject receipt : receipts) {
      Checkpoint cp = verifier.verify(receipt.getString("checkpoint"));
      List<byte[]> proof = receipt.getJsonArray("inclusionProof").stream()
          .map(h -> Base64.getDecoder().decode((String) h)).toList();
      ProofVerifier.verifyInclusion(Base64.getDecoder().decode(receipt.getString("leafHash")),
          receipt.getLong("logIndex"), cp.size(), proof, cp.rootHash());
      if (newest == null || cp.size() > newest.size()) {
        newest = cp;
      }
    }
    // 12 questions: an intent and a result each, on one tree without gaps.
    assertThat(newest.size()).isEqualTo(24);
    // A checkpoint the first replica signed is consistent with one the second signed, and back.
    for (JsonObject receipt : receipts) {
      Checkpoint cp = verifier.verify(receipt.getString("checkpoint"));
      if (cp.size() < newest.size()) {
        JsonObject proof = new JsonObject(get(first, "/v1/audit/proof/consistency?first=" + cp.size()
            + "&second=" + newest.size()));
        ProofVerifier.verifyConsistency(cp.size(), newest.size(), cp.rootHash(), newest.rootHash(),
            proof.getJsonArray("hashes").stream().map(h -> Base64.getDecoder().decode((String) h)).toList());
      }
    }
  }

  private static String get(Gateway gateway, String path) throws Exception {
    String fg = fed.token("zvh", "f.g", "fg");
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .header("Authorization", "Bearer " + fg).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
