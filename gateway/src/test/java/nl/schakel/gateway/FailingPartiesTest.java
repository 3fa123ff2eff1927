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
import java.util.concurrent.CompletableFuture;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.FileAuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "No answer" is never "no" (principle 4), and nothing is asked that is not logged (principle 5). */
class FailingPartiesTest {
  static final String QUERY =
      "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"}}";

  @TempDir
  Path dir;

  static Map<String, String> records() {
    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n");
    records.put("veilig-thuis", "person,999990019,melding,2026-01-10,\n");
    records.put("reclassering", "person,999990044,toezicht,2026-04-04,\n");
    return records;
  }

  static Map<String, JsonObject> byParty(String body) {
    JsonArray answers = new JsonObject(body).getJsonArray("answers");
    Map<String, JsonObject> map = new LinkedHashMap<>();
    answers.forEach(a -> map.put(((JsonObject) a).getString("party"), (JsonObject) a));
    return map;
  }

  @Test
  void aNodeKilledMidRunIsUnavailableNeverNoHitAndTheOthersStillAnswer() throws Exception {
    try (TestFederation fed = new TestFederation(dir, records(), Duration.ofSeconds(5), null)) {
      String token = fed.token("zvh", "p.jansen", "procesregisseur");
      assertThat(byParty(fed.post("/v1/queries", token, QUERY).body()).get("reclassering").getString("outcome"))
          .isEqualTo("no-hit");

      fed.nodes.get("reclassering").close();
      HttpResponse<String> r = fed.post("/v1/queries", token, QUERY);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("partial");
      Map<String, JsonObject> a = byParty(r.body());
      assertThat(a.get("reclassering").getString("outcome")).isEqualTo("unavailable");
      assertThat(a.get("reclassering").getString("reason")).isEqualTo("node unreachable");
      assertThat(a.get("politie").getString("outcome")).isEqualTo("hit");
      assertThat(a.get("veilig-thuis").getString("outcome")).isEqualTo("hit");
      // woningcorporatie and sociaal-domein have no node in this federation: unavailable too.
      assertThat(a.get("woningcorporatie").getString("outcome")).isEqualTo("unavailable");
      assertThat(a.get("woningcorporatie").getString("reason")).isEqualTo("no node is configured for this party");
    }
  }

  @Test
  void aHungNodeIsCutOffAtTheDeadlineAndTheOthersStillAnswer() throws Exception {
    Map<String, String> records = records();
    records.put("woningcorporatie", null); // accepts the call, never answers
    // The deadline is generous so the healthy nodes answer well within it even on a busy machine.
    try (TestFederation fed = new TestFederation(dir, records, Duration.ofMillis(2000), null)) {
      HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"), QUERY);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("partial");
      Map<String, JsonObject> a = byParty(r.body());
      assertThat(a.get("woningcorporatie").getString("outcome")).isEqualTo("unavailable");
      assertThat(a.get("woningcorporatie").getString("reason")).isEqualTo("deadline exceeded after 2000 ms");
      assertThat(a.get("politie").getString("outcome")).isEqualTo("hit");
    }
  }

  @Test
  void aNodeWhoseCertificateNamesAnotherPartyIsUnavailableAndNeverAsked() throws Exception {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    var impostor = new TestFederation.Impostor("riec", new nl.schakel.proto.v1.NodeServiceGrpc.NodeServiceImplBase() {
      @Override
      public void ask(nl.schakel.proto.v1.Envelope request,
          io.grpc.stub.StreamObserver<nl.schakel.proto.v1.Envelope> response) {
        asked.incrementAndGet();
        response.onError(io.grpc.Status.INTERNAL.asRuntimeException());
      }
    });
    Map<String, String> records = records();
    records.remove("reclassering");
    try (TestFederation fed = new TestFederation(dir, records, Duration.ofSeconds(5), null,
        Map.of("reclassering", impostor))) {
      HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"), QUERY);

      Map<String, JsonObject> a = byParty(r.body());
      assertThat(a.get("reclassering").getString("outcome")).isEqualTo("unavailable");
      assertThat(a.get("reclassering").getString("reason"))
          .isEqualTo("node certificate names party riec, expected reclassering");
      assertThat(a.get("politie").getString("outcome")).isEqualTo("hit");
      assertThat(asked).hasValue(0);
    }
  }

  @Test
  void whenTheAuditLogCannotBeWrittenNobodyIsAskedAndTheAnswerIs503() throws Exception {
    AuditLog broken = new FailingLog(FileAuditLog.open(dir.resolve("real-audit")));
    try (TestFederation fed = new TestFederation(dir, records(), Duration.ofSeconds(5), broken)) {
      HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"), QUERY);

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("urn:schakel:problem:audit-log-unavailable");
      assertThat(fed.questionsReceivedByNodes()).isZero();
      assertThat(fed.get("/health/ready").statusCode()).isEqualTo(503);
      // An audit call that cannot itself be logged is not served either.
      HttpResponse<String> audit = fed.get("/v1/audit/entries?start=0&end=0", fed.token("zvh", "f.fg", "fg"));
      assertThat(audit.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(audit.body()).getString("type")).isEqualTo("urn:schakel:problem:audit-log-unavailable");
    }
  }

  /** A log whose disk has failed: every append fails and it says it is not writable. */
  static final class FailingLog implements AuditLog {
    private final AuditLog inner;

    FailingLog(AuditLog inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<AppendResult> append(byte[] entry) {
      return CompletableFuture.failedFuture(new java.io.IOException("No space left on device"));
    }

    @Override
    public long size() {
      return inner.size();
    }

    @Override
    public byte[] entry(long index) {
      return inner.entry(index);
    }

    @Override
    public List<byte[]> inclusionProof(long index, long treeSize) {
      return inner.inclusionProof(index, treeSize);
    }

    @Override
    public List<byte[]> consistencyProof(long first, long second) {
      return inner.consistencyProof(first, second);
    }

    @Override
    public byte[] root(long treeSize) {
      return inner.root(treeSize);
    }

    @Override
    public boolean writable() {
      return false;
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
