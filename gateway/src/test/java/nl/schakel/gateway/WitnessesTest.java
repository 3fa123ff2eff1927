package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CosignatureVerifier;
import nl.schakel.audit.Cosigner;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.audit.ProofVerifier;
import nl.schakel.proto.v1.CosignRequest;
import nl.schakel.proto.v1.CosignResponse;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's witnessing rounds against scripted witnesses: retries, refusals, persistence. */
class WitnessesTest {
  @TempDir
  Path dir;
  FileAuditLog log;
  CheckpointSigner signer;
  final TestClock clock = new TestClock(Instant.parse("2026-11-29T10:00:00Z"));
  final Cosigner politie = new Cosigner(SigningKey.generate(new SecureRandom()), "schakel/node/politie");
  final List<CosignRequest> requests = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    signer = new CheckpointSigner(SigningKey.generate(new SecureRandom()), "schakel/test/gateway");
    log = FileAuditLog.open(dir.resolve("audit"), FileAuditLog.Options.defaults().withCheckpointSigner(signer));
    append(5);
  }

  @AfterEach
  void close() {
    log.close();
  }

  void append(int n) {
    for (int i = 0; i < n; i++) {
      log.append(new byte[] {(byte) log.size()}).join();
    }
  }

  Witnesses witnesses(Function<CosignRequest, CosignResponse> node) throws Exception {
    Witnesses.Calls calls = new Witnesses.Calls() {
      @Override
      public CompletableFuture<CosignResponse> cosign(String party, CosignRequest request) {
        requests.add(request);
        try {
          return CompletableFuture.completedFuture(node.apply(request));
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public String failure(String party, Throwable t) {
        return "node refused to cosign: " + Status.fromThrowable(t).getCode();
      }
    };
    CosignatureVerifier verifier = CosignatureVerifier.forVerifierKey(politie.verifierKey());
    return new Witnesses(log, CheckpointVerifier.forVerifierKey(signer.verifierKey()), Map.of("politie", verifier),
        calls, dir, clock, 5000);
  }

  CosignResponse cosign(CosignRequest request) {
    return CosignResponse.newBuilder()
        .setCosignature(politie.cosign(CheckpointVerifier.forVerifierKey(signer.verifierKey())
            .verify(request.getCheckpoint()), clock.instant()))
        .build();
  }

  @Test
  void retriesOnceWithTheSizeTheNodeNamesAndSendsAProofFromIt() throws Exception {
    Witnesses w = witnesses(r -> r.getOldSize() == 3 ? cosign(r) : CosignResponse.newBuilder().setKnownSize(3).build());

    w.tick();

    assertThat(requests).extracting(CosignRequest::getOldSize).containsExactly(0L, 3L);
    CosignRequest retry = requests.get(1);
    ProofVerifier.verifyConsistency(3, 5, log.root(3), log.root(5),
        retry.getConsistencyProofList().stream().map(b -> b.toByteArray()).toList());
    assertThat(w.statuses()).singleElement().satisfies(s -> {
      assertThat(s.cosignedSize()).isEqualTo(5);
      assertThat(s.lastError()).isEmpty();
    });
    String cosigned = w.cosigned().orElseThrow();
    assertThat(cosigned).startsWith(log.checkpoint().orElseThrow()).contains("\u2014 schakel/node/politie ");
  }

  @Test
  void aNodeThatCosignedABiggerTreeIsReportedAsAForkOrRollbackWithoutARetry() throws Exception {
    Witnesses w = witnesses(r -> CosignResponse.newBuilder().setKnownSize(9).build());

    w.tick();

    assertThat(requests).hasSize(1);
    assertThat(w.statuses().get(0).lastError()).hasValueSatisfying(e -> assertThat(e).contains(
        "cosigned tree size 9, larger than this log's 5", "forked or rolled back"));
    assertThat(w.cosigned()).isEmpty();
  }

  @Test
  void aCosignatureByAnotherKeyIsNotKeptNorPublished() throws Exception {
    Cosigner impostor = new Cosigner(SigningKey.generate(new SecureRandom()), "schakel/node/politie");
    Witnesses w = witnesses(r -> CosignResponse.newBuilder().setCosignature(impostor.cosign(
        CheckpointVerifier.forVerifierKey(signer.verifierKey()).verify(r.getCheckpoint()), clock.instant())).build());

    w.tick();

    assertThat(w.cosigned()).isEmpty();
    assertThat(w.statuses().get(0).cosignedSize()).isZero();
    assertThat(w.statuses().get(0).lastError()).hasValueSatisfying(e -> assertThat(e).contains("does not verify"));
  }

  @Test
  void aRefusalIsRecordedAndTheNextRoundAsksAgainFromTheLastCosignedSize() throws Exception {
    boolean[] refuse = {false};
    Witnesses w = witnesses(r -> {
      if (refuse[0]) {
        throw Status.FAILED_PRECONDITION.withDescription("inconsistent").asRuntimeException();
      }
      return cosign(r);
    });
    w.tick();
    refuse[0] = true;
    append(2);

    w.tick();

    assertThat(w.statuses().get(0).lastError()).contains("node refused to cosign: FAILED_PRECONDITION");
    assertThat(w.statuses().get(0).cosignedSize()).isEqualTo(5);
    refuse[0] = false;
    w.tick();
    assertThat(requests.get(requests.size() - 1).getOldSize()).isEqualTo(5);
    assertThat(w.statuses().get(0).cosignedSize()).isEqualTo(7);
    assertThat(w.statuses().get(0).lastError()).isEmpty();
  }

  @Test
  void whatWasPublishedAndEachNodesSizeSurviveARestart() throws Exception {
    Witnesses first = witnesses(this::cosign);
    first.tick();

    Witnesses restarted = witnesses(this::cosign);

    assertThat(restarted.cosigned()).isEqualTo(first.cosigned());
    assertThat(restarted.statuses()).isEqualTo(first.statuses());
    append(1);
    restarted.tick();
    assertThat(requests.get(requests.size() - 1).getOldSize()).isEqualTo(5);
  }

  @Test
  void aRoundWithNothingNewAsksNobody() throws Exception {
    Witnesses w = witnesses(this::cosign);
    w.tick();

    w.tick();

    assertThat(requests).hasSize(1);
  }
}
