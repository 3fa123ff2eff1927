package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CosignatureVerifier;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.proto.v1.CosignRequest;
import nl.schakel.proto.v1.CosignResponse;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node as a witness of the gateway's log, over real mTLS gRPC, with checkpoints and proofs of
 * real logs signed with the gateway's certified key: it cosigns only a history that extends the
 * one it cosigned before, and remembers that across restarts.
 */
class WitnessTest {
  static final String ORIGIN = "schakel/test/gateway";

  @TempDir
  Path dir;
  Path stateDir;
  TestNode politie;
  SigningKey gatewayKey;
  /** The gateway's log as shown to this node. */
  GatewayLog log;

  @BeforeEach
  void start() throws Exception {
    stateDir = dir.resolve("politie-state");
    politie = startPolitie();
    gatewayKey = TestPki.in(dir).credentials(NodePki.GATEWAY).signingKey();
    log = new GatewayLog(dir.resolve("gateway-log"), gatewayKey, "e");
  }

  @AfterEach
  void stop() {
    politie.close();
    log.close();
  }

  private TestNode startPolitie() throws Exception {
    return TestNode.start(dir, "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n",
        List.of(TestNode.DEMO), Clock.fixed(TestNode.NOW, ZoneOffset.UTC), stateDir);
  }

  @Test
  void cosignsTheFirstCheckpointItIsShown() throws Exception {
    String note = log.grow(3);

    CosignResponse reply = cosign(0, List.of(), note);

    assertThat(reply.hasCosignature()).isTrue();
    assertThat(verifyCosignature(note, reply.getCosignature())).isEqualTo(TestNode.NOW);
    assertThat(Files.readString(stateDir.resolve("witness").resolve(Witness.STATE_FILE))).isEqualTo(note);
  }

  @Test
  void cosignsGrowthProvenConsistentWithWhatItCosignedBefore() throws Exception {
    cosign(0, List.of(), log.grow(3));
    String grown = log.grow(4);

    CosignResponse reply = cosign(3, log.proof(3, 7), grown);

    assertThat(verifyCosignature(grown, reply.getCosignature())).isEqualTo(TestNode.NOW);
  }

  @Test
  void cosignsTheSameCheckpointAgain() throws Exception {
    String note = log.grow(3);
    cosign(0, List.of(), note);

    assertThat(cosign(3, List.of(), note).hasCosignature()).isTrue();
  }

  @Test
  void answersKnownSizeWhenTheGatewayMisremembersWhatItCosigned() throws Exception {
    cosign(0, List.of(), log.grow(3));
    String grown = log.grow(4);

    CosignResponse reply = cosign(5, log.proof(5, 7), grown);

    assertThat(reply.hasKnownSize()).isTrue();
    assertThat(reply.getKnownSize()).isEqualTo(3);
    assertThat(cosign(0, List.of(), grown).getKnownSize()).isEqualTo(3);
  }

  @Test
  void refusesARollback() throws Exception {
    String small = log.grow(3);
    cosign(0, List.of(), small);
    String grown = log.grow(4);
    cosign(3, log.proof(3, 7), grown);

    assertRefused(() -> cosign(7, List.of(), small), Status.Code.FAILED_PRECONDITION, "rollback");
  }

  @Test
  void refusesAForkOfTheSameSizeWithAnotherRoot() throws Exception {
    cosign(0, List.of(), log.grow(3));
    String grown = log.grow(2);
    cosign(3, log.proof(3, 5), grown);
    try (GatewayLog other = new GatewayLog(dir.resolve("forked-log"), gatewayKey, "fork")) {
      String fork = other.grow(5);

      assertRefused(() -> cosign(5, List.of(), fork), Status.Code.FAILED_PRECONDITION, "fork");
    }
  }

  @Test
  void refusesGrowthWhoseConsistencyProofDoesNotVerify() throws Exception {
    cosign(0, List.of(), log.grow(3));
    String grown = log.grow(4);
    List<byte[]> proof = log.proof(3, 7);
    proof.get(0)[0] ^= 1;

    assertRefused(() -> cosign(3, proof, grown), Status.Code.FAILED_PRECONDITION,
        "consistency proof from tree size 3 to 7 does not verify");
  }

  @Test
  void refusesAForkedHistoryThatGrewFromAnotherPrefix() throws Exception {
    cosign(0, List.of(), log.grow(3));
    try (GatewayLog other = new GatewayLog(dir.resolve("forked-log"), gatewayKey, "fork")) {
      String fork = other.grow(7);

      // A genuine proof of the other history: consistent with itself, not with what was cosigned.
      assertRefused(() -> cosign(3, other.proof(3, 7), fork), Status.Code.FAILED_PRECONDITION,
          "consistency proof");
    }
  }

  @Test
  void refusesACheckpointSignedByAnotherKey() throws Exception {
    try (GatewayLog impostor = new GatewayLog(dir.resolve("impostor-log"),
        TestPki.in(dir).credentials("politie").signingKey(), "e")) {
      String note = impostor.grow(3);

      assertRefused(() -> cosign(0, List.of(), note), Status.Code.UNAUTHENTICATED,
          "not signed by the gateway's certified key");
    }
    assertThat(Files.exists(stateDir.resolve("witness").resolve(Witness.STATE_FILE))).isFalse();
  }

  @Test
  void refusesACheckpointOfAnotherLogOnceItWitnessesOne() throws Exception {
    cosign(0, List.of(), log.grow(3));
    try (GatewayLog other = new GatewayLog(dir.resolve("other-log"), gatewayKey, "schakel/other/gateway", "e")) {
      String note = other.grow(3);

      assertRefused(() -> cosign(3, List.of(), note), Status.Code.FAILED_PRECONDITION,
          "this node witnesses log " + ORIGIN);
    }
  }

  @Test
  void refusesAnotherFederationsLogEvenAsTheFirstCheckpointWhenItsFederationIsConfigured() throws Exception {
    try (TestNode midden = TestNode.start(dir, "politie",
            new NodeConfig.Source(Files.writeString(dir.resolve("midden.csv"), CsvRecordSource.HEADER + "\n")),
            List.of(TestNode.DEMO), Clock.fixed(TestNode.NOW, ZoneOffset.UTC), dir.resolve("midden-state"),
            c -> c.withFederation("midden"));
        GatewayLog other = new GatewayLog(dir.resolve("other-log"), gatewayKey, "schakel/other/gateway", "e");
        GatewayLog own = new GatewayLog(dir.resolve("midden-log"), gatewayKey, "schakel/midden/gateway", "e")) {
      String foreign = other.grow(3);

      assertRefused(() -> cosign(midden, 0, List.of(), foreign), Status.Code.INVALID_ARGUMENT,
          "checkpoint origin must be schakel/midden/gateway (this node's federation), found 'schakel/other/gateway'");
      assertThat(Files.exists(dir.resolve("midden-state").resolve("witness").resolve(Witness.STATE_FILE))).isFalse();

      String note = own.grow(3);
      assertThat(cosign(midden, 0, List.of(), note).hasCosignature()).isTrue();
      assertThat(Files.readString(dir.resolve("midden-state").resolve("witness").resolve(Witness.STATE_FILE)))
          .isEqualTo(note);
    }
  }

  @Test
  void refusesACheckpointWhoseOriginIsNotAGatewayLog() throws Exception {
    try (GatewayLog other = new GatewayLog(dir.resolve("node-log"), gatewayKey, "schakel/node/politie", "e")) {
      String note = other.grow(1);

      assertRefused(() -> cosign(0, List.of(), note), Status.Code.INVALID_ARGUMENT,
          "origin must be schakel/<federation>/gateway");
    }
  }

  @Test
  void remembersWhatItCosignedAcrossARestart() throws Exception {
    cosign(0, List.of(), log.grow(5));
    politie.close();
    politie = startPolitie();

    assertThat(cosign(0, List.of(), log.checkpoint()).getKnownSize()).isEqualTo(5);
    try (GatewayLog other = new GatewayLog(dir.resolve("forked-log"), gatewayKey, "fork")) {
      String fork = other.grow(5);
      assertRefused(() -> cosign(5, List.of(), fork), Status.Code.FAILED_PRECONDITION, "fork");
    }
    String grown = log.grow(2);
    assertThat(verifyCosignature(grown, cosign(5, log.proof(5, 7), grown).getCosignature()))
        .isEqualTo(TestNode.NOW);
  }

  @Test
  void cosignsOnlyOneOfTwoHistoriesPresentedAtOnce() throws Exception {
    cosign(0, List.of(), log.grow(3));
    List<GatewayLog> forks = new ArrayList<>();
    List<Callable<CosignResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // Each shares the first three entries and then differs: a valid proof from 3 for each.
      GatewayLog fork = new GatewayLog(dir.resolve("fork-" + i), gatewayKey, "e");
      fork.grow(3);
      fork.append("fork-" + i);
      String note = fork.checkpoint();
      List<byte[]> proof = fork.proof(3, 4);
      forks.add(fork);
      calls.add(() -> cosign(3, proof, note));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CosignResponse> replies = new ArrayList<>();
      for (Future<CosignResponse> f : pool.invokeAll(calls)) {
        replies.add(f.get());
      }
      assertThat(replies.stream().filter(CosignResponse::hasCosignature)).hasSize(1);
      assertThat(replies.stream().filter(CosignResponse::hasKnownSize)).hasSize(7)
          .allSatisfy(r -> assertThat(r.getKnownSize()).isEqualTo(4));
    } finally {
      pool.shutdownNow();
      forks.forEach(GatewayLog::close);
    }
  }

  private CosignResponse cosign(long oldSize, List<byte[]> proof, String note) {
    return cosign(politie, oldSize, proof, note);
  }

  private static CosignResponse cosign(TestNode node, long oldSize, List<byte[]> proof, String note) {
    return node.stub().cosign(CosignRequest.newBuilder().setOldSize(oldSize)
        .addAllConsistencyProof(proof.stream().map(ByteString::copyFrom).toList())
        .setCheckpoint(note).build());
  }

  /** Checks the cosignature as anyone holding politie's signing certificate can. */
  private java.time.Instant verifyCosignature(String note, String line) throws Exception {
    Checkpoint checkpoint = CheckpointVerifier.forVerifierKey(
        new CheckpointSigner(gatewayKey, ORIGIN).verifierKey()).verify(note);
    return CosignatureVerifier.of("schakel/node/politie",
        TestPki.in(dir).credentials("politie").signingKey().verifyingKey()).verify(checkpoint, line);
  }

  private static void assertRefused(ThrowingCallable call, Status.Code code, String why) {
    assertThatThrownBy(call::call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(why);
    });
  }

  @FunctionalInterface
  interface ThrowingCallable {
    void call() throws Exception;
  }

  /** A real gateway log, signed like the gateway's, whose entries are {@code <prefix>-<i>}. */
  static final class GatewayLog implements AutoCloseable {
    private final FileAuditLog log;
    private final String prefix;
    private String checkpoint;

    GatewayLog(Path dir, SigningKey key, String prefix) throws Exception {
      this(dir, key, ORIGIN, prefix);
    }

    GatewayLog(Path dir, SigningKey key, String origin, String prefix) throws Exception {
      this.log = FileAuditLog.open(dir, FileAuditLog.Options.defaults()
          .withCheckpointSigner(new CheckpointSigner(key, origin)));
      this.prefix = prefix;
    }

    /** Appends {@code n} entries and returns the signed checkpoint covering them. */
    String grow(int n) {
      for (int i = 0; i < n; i++) {
        append(prefix + "-" + log.size());
      }
      return checkpoint;
    }

    void append(String entry) {
      AppendResult result = log.append(entry.getBytes(StandardCharsets.UTF_8)).join();
      checkpoint = result.checkpoint().orElseThrow();
    }

    String checkpoint() {
      return checkpoint;
    }

    /** A mutable copy of the log's consistency proof. */
    List<byte[]> proof(long from, long to) {
      return new ArrayList<>(log.consistencyProof(from, to).stream().map(byte[]::clone).toList());
    }

    @Override
    public void close() {
      log.close();
    }
  }
}
