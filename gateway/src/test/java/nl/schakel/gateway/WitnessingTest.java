package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CosignatureVerifier;
import nl.schakel.audit.FileAuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nodes witness the gateway's log over real mTLS: after a round every node's cosignature is on
 * the published checkpoint, verifiable with the party's certified key alone; witnessing survives
 * restarts of nodes and gateway; and a log replaced by a forked one gets no cosignature, which
 * the gateway reports to the auditors.
 */
class WitnessingTest {
  static final List<String> PARTIES = List.of("politie", "veilig-thuis");

  @TempDir
  Path dir;
  TestFederation fed;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n");
    records.put("veilig-thuis", "person,999990019,melding,2026-01-10,BU03440101\n");
    fed = new TestFederation(dir, records, Duration.ofSeconds(5), null);
  }

  @AfterEach
  void stop() {
    fed.close();
  }

  private void ask() throws Exception {
    HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"),
        "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\",\"bsn\":"
            + "\"999990019\"},\"responders\":[\"politie\",\"veilig-thuis\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private String auditor() {
    return fed.token("politie", "a.auditor", "auditor");
  }

  private CheckpointVerifier gatewayKey() throws Exception {
    return CheckpointVerifier.forVerifierKey(
        new nl.schakel.audit.CheckpointSigner(fed.pki.credentials(GatewayPki.GATEWAY).signingKey(),
            Gateway.origin("test")).verifierKey());
  }

  /** The witness's verifier from its own certified key, not from anything the gateway says. */
  private CosignatureVerifier witness(String party) throws Exception {
    return CosignatureVerifier.of("schakel/node/" + party, fed.pki.credentials(party).signingKey().verifyingKey());
  }

  private Map<String, Witnesses.Status> statuses() {
    Map<String, Witnesses.Status> map = new LinkedHashMap<>();
    fed.gateway.witnesses().statuses().forEach(s -> map.put(s.party(), s));
    return map;
  }

  /** Checks every node's cosignature on {@code note}; returns the checkpoint. */
  private Checkpoint assertCosignedByEveryNode(String note) throws Exception {
    Checkpoint checkpoint = gatewayKey().verify(note);
    List<String> lines = List.of(note.substring(note.lastIndexOf("\n\n") + 2).split("\n"));
    assertThat(lines).hasSize(1 + PARTIES.size());
    for (String party : PARTIES) {
      CosignatureVerifier w = witness(party);
      assertThat(lines).filteredOn(l -> l.startsWith("\u2014 schakel/node/" + party + " "))
          .singleElement().satisfies(l -> w.verify(checkpoint, l));
    }
    return checkpoint;
  }

  @Test
  void afterQuestionsAndARoundTheCosignedCheckpointCarriesEveryNodesValidCosignature() throws Exception {
    HttpResponse<String> before = fed.get("/v1/audit/checkpoint/cosigned", auditor());
    assertThat(before.statusCode()).isEqualTo(404);
    assertThat(before.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    ask();
    ask();

    fed.gateway.witnesses().tick();

    HttpResponse<String> cosigned = fed.get("/v1/audit/checkpoint/cosigned", auditor());
    assertThat(cosigned.statusCode()).as(cosigned.body()).isEqualTo(200);
    Checkpoint checkpoint = assertCosignedByEveryNode(cosigned.body());
    assertThat(checkpoint.size()).isGreaterThanOrEqualTo(4); // two questions: intent and result each
    // The plain checkpoint is the newest, already past the cosigned one (this call was logged).
    assertThat(gatewayKey().verify(fed.get("/v1/audit/checkpoint", auditor()).body()).size())
        .isGreaterThan(checkpoint.size());
    JsonArray witnesses = new JsonObject(fed.get("/v1/audit/witnesses", auditor()).body()).getJsonArray("witnesses");
    assertThat(witnesses).hasSize(2);
    for (int i = 0; i < witnesses.size(); i++) {
      JsonObject w = witnesses.getJsonObject(i);
      assertThat(w.getString("verifierKey")).isEqualTo(witness(w.getString("party")).verifierKey());
      assertThat(w.getLong("cosignedSize")).isEqualTo(checkpoint.size());
      assertThat(w.getString("cosignedAt")).isEqualTo(TestFederation.NOW.toString());
      assertThat(w.containsKey("lastError")).isFalse();
    }
    // Reading the witnesses is an audit call like the others: logged.
    assertThat(fed.auditEntries()).anySatisfy(e -> assertThat(e.getAuditCall()).isEqualTo("GET /v1/audit/witnesses"));
  }

  @Test
  void aNodeThatIsDownIsReportedWhileTheOthersKeepCosigning() throws Exception {
    ask();
    fed.gateway.witnesses().tick();
    long first = statuses().get("politie").cosignedSize();

    fed.nodes.get("politie").close();
    ask();
    fed.gateway.witnesses().tick();

    assertThat(statuses().get("politie").cosignedSize()).isEqualTo(first);
    assertThat(statuses().get("politie").lastError()).isPresent();
    assertThat(statuses().get("veilig-thuis").cosignedSize()).isGreaterThan(first);
    assertThat(statuses().get("veilig-thuis").lastError()).isEmpty();
    // Published: the newest checkpoint with the one cosignature collected for it.
    String note = fed.gateway.witnesses().cosigned().orElseThrow();
    Checkpoint checkpoint = gatewayKey().verify(note);
    assertThat(checkpoint.size()).isEqualTo(statuses().get("veilig-thuis").cosignedSize());
    assertThat(note).doesNotContain("schakel/node/politie ");
  }

  @Test
  void aRestartedNodeKeepsCosigningFromWhatItCosignedBefore() throws Exception {
    ask();
    fed.gateway.witnesses().tick();
    long first = statuses().get("politie").cosignedSize();

    fed.restartNode("politie");
    ask();
    fed.gateway.witnesses().tick();

    long newest = gatewayKey().verify(fed.auditLog.checkpoint().orElseThrow()).size();
    assertThat(newest).isGreaterThan(first);
    assertThat(statuses().get("politie").lastError()).isEmpty();
    assertThat(statuses().get("politie").cosignedSize()).isEqualTo(newest);
    assertCosignedByEveryNode(fed.gateway.witnesses().cosigned().orElseThrow());
  }

  @Test
  void aRestartedGatewayPublishesWhatItHadAndContinuesWhereItLeftOff() throws Exception {
    ask();
    fed.gateway.witnesses().tick();
    String published = fed.gateway.witnesses().cosigned().orElseThrow();

    fed.restartGateway();

    assertThat(fed.gateway.witnesses().cosigned()).contains(published);
    ask();
    fed.gateway.witnesses().tick();
    Checkpoint next = assertCosignedByEveryNode(fed.gateway.witnesses().cosigned().orElseThrow());
    assertThat(next.size()).isGreaterThan(gatewayKey().verify(published).size());
    assertThat(statuses().values()).allSatisfy(s -> assertThat(s.lastError()).isEmpty());
  }

  @Test
  void aLogReplacedByAForkIsRefusedByTheNodesAndReportedOnWitnesses() throws Exception {
    ask();
    ask();
    fed.gateway.witnesses().tick();
    long cosigned = statuses().get("politie").cosignedSize();
    String published = fed.gateway.witnesses().cosigned().orElseThrow();

    // The operator swaps in another history, signed with the same key, under the same state.
    fed.gateway.close();
    AuditLog[] fork = new AuditLog[1];
    fed.gateway = Gateway.start(fed.config, fed.clock, options -> {
      fork[0] = FileAuditLog.open(dir.resolve("forked-audit"), options);
      return fork[0];
    });
    fed.auditLog = fork[0];
    fork[0].append(new byte[] {1, 2, 3}).join();

    // Smaller than what the nodes cosigned: a rollback. The gateway itself says so on readiness.
    HttpResponse<String> ready = fed.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("truncated or replaced");
    fed.gateway.witnesses().tick();
    assertThat(statuses().values()).allSatisfy(s -> {
      assertThat(s.cosignedSize()).isEqualTo(cosigned);
      assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("forked or rolled back"));
    });

    // The same size as what the nodes cosigned, other entries: a fork the nodes refuse.
    while (fork[0].size() < cosigned) {
      fork[0].append(new byte[] {9, (byte) fork[0].size()}).join();
    }
    fed.gateway.witnesses().tick();
    assertThat(statuses().values()).allSatisfy(s -> {
      assertThat(s.cosignedSize()).isEqualTo(cosigned);
      assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("refused"));
    });
    assertThat(fed.gateway.witnesses().cosigned()).contains(published);

    JsonArray witnesses = new JsonObject(fed.get("/v1/audit/witnesses", auditor()).body()).getJsonArray("witnesses");
    assertThat(witnesses).allSatisfy(w -> assertThat(((JsonObject) w).getString("lastError")).contains("refused"));
  }
}
