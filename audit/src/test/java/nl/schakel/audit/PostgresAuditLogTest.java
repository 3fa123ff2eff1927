package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresAuditLogTest {

  private static final TestVectors VECTORS = TestVectors.load();
  private static final String ORIGIN = "schakel/demo/gateway";
  private static final AtomicInteger LOG_NAMES = new AtomicInteger();

  @TempDir static Path data;
  private static PgTestDatabase db;

  @TempDir Path dir;
  @TempDir Path keys;

  // Each test writes its own log (own tables) in one shared server: starting one costs seconds.
  private final String name = "log_" + LOG_NAMES.incrementAndGet();

  @BeforeAll
  static void startPostgres() {
    db = PgTestDatabase.start(data);
  }

  @AfterAll
  static void stopPostgres() {
    db.close();
  }

  private PostgresAuditLog.Options options() {
    return PostgresAuditLog.Options.defaults().withLogName(name).withPollInterval(Duration.ZERO);
  }

  private CheckpointSigner signer(long seed) {
    return new CheckpointSigner(TestKeys.seeded(seed, keys), ORIGIN);
  }

  private PostgresAuditLog open() throws IOException {
    return PostgresAuditLog.open(db.dataSource(), options());
  }

  private PostgresAuditLog open(CheckpointSigner signer) throws IOException {
    return PostgresAuditLog.open(db.dataSource(), options().withCheckpointSigner(signer));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void storesTheCtVectorLeavesUnderTheCtRoots() throws IOException {
    try (PostgresAuditLog log = open()) {
      for (int i = 0; i < VECTORS.leaves.size(); i++) {
        AppendResult result = log.append(VECTORS.leaves.get(i)).join();
        assertThat(result)
            .isEqualTo(new AppendResult(i, i + 1, VECTORS.leafHash(i), VECTORS.roots.get(i + 1L)));
      }
      for (long size = 0; size <= 8; size++) {
        assertThat(log.root(size)).isEqualTo(VECTORS.roots.get(size));
      }
      for (TestVectors.Inclusion v : VECTORS.inclusions) {
        assertThat(log.inclusionProof(v.index(), v.treeSize())).containsExactlyElementsOf(v.path());
      }
      for (TestVectors.Consistency v : VECTORS.consistencies) {
        assertThat(log.consistencyProof(v.first(), v.second())).containsExactlyElementsOf(v.proof());
      }
    }
  }

  @Test
  void givesTheSameEntriesRootsAndProofsAsTheFileLog() throws IOException {
    Random random = new Random(29);
    List<byte[]> entries = new ArrayList<>();
    entries.add(new byte[0]);
    for (int i = 0; i < 69; i++) {
      byte[] entry = new byte[random.nextInt(600)];
      random.nextBytes(entry);
      entries.add(entry);
    }
    try (PostgresAuditLog pg = open();
        FileAuditLog file = FileAuditLog.open(dir)) {
      // Fired all at once, so the two logs batch differently; the trees must not care.
      List<CompletableFuture<AppendResult>> pgResults = new ArrayList<>();
      List<CompletableFuture<AppendResult>> fileResults = new ArrayList<>();
      for (byte[] entry : entries) {
        pgResults.add(pg.append(entry));
        fileResults.add(file.append(entry));
      }
      for (int i = 0; i < entries.size(); i++) {
        assertThat(pgResults.get(i).join().index()).isEqualTo(i);
        assertThat(fileResults.get(i).join().index()).isEqualTo(i);
      }
      int n = entries.size();
      assertThat(pg.size()).isEqualTo(n);
      List<byte[]> leaves = entries.stream().map(MerkleHash::leafHash).toList();
      for (int size = 0; size <= n; size++) {
        assertThat(pg.root(size))
            .isEqualTo(file.root(size))
            .isEqualTo(ReferenceTree.mth(leaves.subList(0, size)));
      }
      for (int i = 0; i < n; i++) {
        assertThat(pg.entry(i)).isEqualTo(entries.get(i));
        assertThat(pg.inclusionProof(i, n)).containsExactlyElementsOf(file.inclusionProof(i, n));
        assertThat(pg.inclusionProof(i, i + 1)).containsExactlyElementsOf(file.inclusionProof(i, i + 1));
      }
      for (int m = 1; m <= n; m++) {
        assertThat(pg.consistencyProof(m, n)).containsExactlyElementsOf(file.consistencyProof(m, n));
      }
    }
  }

  @Test
  void keepsEveryAcknowledgedEntryAcrossCloseAndReopen() throws IOException {
    CheckpointSigner signer = signer(3);
    CheckpointVerifier verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      entries.add(bytes("entry " + i));
    }
    AppendResult last;
    try (PostgresAuditLog log = open(signer)) {
      List<CompletableFuture<AppendResult>> futures = entries.stream().map(log::append).toList();
      last = futures.get(futures.size() - 1).join();
      futures.forEach(CompletableFuture::join);
    }
    try (PostgresAuditLog log = open(signer)) {
      assertThat(log.size()).isEqualTo(100);
      assertThat(log.root(100)).isEqualTo(last.rootHash());
      for (int i = 0; i < entries.size(); i++) {
        assertThat(log.entry(i)).isEqualTo(entries.get(i));
      }
      Checkpoint reopened = verifier.verify(log.checkpoint().orElseThrow());
      assertThat(reopened.size()).isEqualTo(100);
      assertThat(reopened.rootHash()).isEqualTo(last.rootHash());

      AppendResult next = log.append(bytes("after reopen")).join();
      assertThat(next.index()).isEqualTo(100);
      ProofVerifier.verifyConsistency(
          100, 101, last.rootHash(), next.rootHash(), log.consistencyProof(100, 101));
    }
  }

  @Test
  void twoReplicasAppendingAtOnceWriteOneGapFreeSequence() throws Exception {
    CheckpointSigner signer = signer(5);
    CheckpointVerifier verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
    int threadsPerReplica = 4;
    int perThread = 150;
    record Acked(byte[] entry, AppendResult result) {}
    List<Acked> acked = new ArrayList<>();
    try (PostgresAuditLog a = open(signer);
        PostgresAuditLog b = open(signer)) {
      List<PostgresAuditLog> replicas = List.of(a, b);
      ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerReplica);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Acked>>> futures = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
          for (int t = 0; t < threadsPerReplica; t++) {
            PostgresAuditLog replica = replicas.get(r);
            String writer = "replica " + r + " thread " + t;
            futures.add(
                pool.submit(
                    () -> {
                      start.await();
                      List<byte[]> sent = new ArrayList<>();
                      List<CompletableFuture<AppendResult>> pending = new ArrayList<>();
                      for (int i = 0; i < perThread; i++) {
                        byte[] entry = bytes(writer + " entry " + i);
                        sent.add(entry);
                        pending.add(replica.append(entry));
                        if (i % 10 == 9) {
                          pending.get(i).join(); // a few closed-loop pauses, so batches interleave
                        }
                      }
                      List<Acked> done = new ArrayList<>();
                      for (int i = 0; i < perThread; i++) {
                        done.add(new Acked(sent.get(i), pending.get(i).join()));
                      }
                      return done;
                    }));
          }
        }
        start.countDown();
        for (Future<List<Acked>> future : futures) {
          acked.addAll(future.get());
        }
      } finally {
        pool.shutdownNow();
      }
      long total = 2L * threadsPerReplica * perThread;
      a.catchUp();
      b.catchUp();

      assertThat(db.count("SELECT count(*) FROM " + name + "_entries")).isEqualTo(total);
      assertThat(db.count("SELECT max(idx) FROM " + name + "_entries")).isEqualTo(total - 1);
      Set<Long> indexes = new HashSet<>();
      for (Acked ack : acked) {
        assertThat(indexes.add(ack.result().index())).as("index %d given twice", ack.result().index()).isTrue();
      }
      assertThat(indexes).hasSize((int) total).allMatch(i -> i >= 0 && i < total);

      assertThat(a.size()).isEqualTo(total);
      assertThat(b.size()).isEqualTo(total);
      assertThat(a.root(total)).isEqualTo(b.root(total));
      for (Acked ack : acked) {
        AppendResult result = ack.result();
        assertThat(a.entry(result.index())).isEqualTo(ack.entry());
        Checkpoint signed = verifier.verify(result.checkpoint().orElseThrow());
        assertThat(signed.size()).isEqualTo(result.treeSize());
        // A receipt from either replica checks out against the other replica's tree.
        ProofVerifier.verifyInclusion(
            result.leafHash(),
            result.index(),
            signed.size(),
            b.inclusionProof(result.index(), signed.size()),
            signed.rootHash());
      }
      assertThat(b.entry(total - 1)).isEqualTo(a.entry(total - 1));

      // The two replicas' checkpoints are of one log: same key, one growing history.
      Checkpoint fromA = verifier.verify(a.checkpoint().orElseThrow());
      Checkpoint fromB = verifier.verify(b.checkpoint().orElseThrow());
      assertThat(fromA).isEqualTo(fromB);
      AppendResult earliest =
          acked.stream().map(Acked::result).min((x, y) -> Long.compare(x.treeSize(), y.treeSize())).orElseThrow();
      Checkpoint early = verifier.verify(earliest.checkpoint().orElseThrow());
      ProofVerifier.verifyConsistency(
          early.size(),
          fromB.size(),
          early.rootHash(),
          fromB.rootHash(),
          a.consistencyProof(early.size(), fromB.size()));
    }
  }

  @Test
  void idleReplicaCatchesUpWithWhatAnotherAppended() throws IOException {
    CheckpointSigner signer = signer(7);
    CheckpointVerifier verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
    try (PostgresAuditLog a = open(signer);
        PostgresAuditLog b = open(signer)) {
      Checkpoint before = verifier.verify(b.checkpoint().orElseThrow());
      AppendResult last = null;
      for (int i = 0; i < 10; i++) {
        last = a.append(bytes("from a " + i)).join();
      }
      assertThat(b.size()).isZero();

      b.catchUp();

      assertThat(b.size()).isEqualTo(10);
      assertThat(b.root(10)).isEqualTo(last.rootHash());
      assertThat(b.entry(9)).isEqualTo(bytes("from a 9"));
      assertThat(b.checkpoint()).isEqualTo(a.checkpoint());
      Checkpoint after = verifier.verify(b.checkpoint().orElseThrow());
      assertThat(after.size()).isEqualTo(10);
      assertThat(before.size()).isZero();

      AppendResult fromB = b.append(bytes("from b")).join();
      assertThat(fromB.index()).isEqualTo(10);
      a.catchUp();
      assertThat(a.size()).isEqualTo(11);
      assertThat(a.entry(10)).isEqualTo(bytes("from b"));
      assertThat(a.root(11)).isEqualTo(fromB.rootHash());
    }
  }

  @Test
  void idleReplicaCatchesUpOnItsPollInterval() throws Exception {
    try (PostgresAuditLog a = open();
        PostgresAuditLog b =
            PostgresAuditLog.open(db.dataSource(), options().withPollInterval(Duration.ofMillis(20)))) {
      a.append(bytes("polled")).join();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (b.size() == 0 && System.nanoTime() < deadline) {
        Thread.yield(); // bounded wait for the poller thread, not a fixed sleep
      }
      assertThat(b.size()).isEqualTo(1);
      assertThat(b.writable()).isTrue();
    }
  }

  @Test
  void refusesToOpenWhenAnEntryWasChanged() throws IOException {
    try (PostgresAuditLog log = open(signer(9))) {
      for (int i = 0; i < 30; i++) {
        log.append(bytes("entry " + i)).join(); // one batch, so one tree head, per entry
      }
    }
    db.execute("UPDATE " + name + "_entries SET entry = ? WHERE idx = 17", (Object) bytes("forged"));

    assertThatThrownBy(() -> open(signer(9)))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("at an index in [17, 18)")
        .hasMessageContaining("root of tree size 18");
  }

  @Test
  void refusesToOpenWhenARowWasDeletedOrAdded() throws IOException {
    try (PostgresAuditLog log = open()) {
      for (int i = 0; i < 10; i++) {
        log.append(bytes("entry " + i)).join();
      }
    }
    db.execute("INSERT INTO " + name + "_entries (idx, entry) VALUES (10, ?)", (Object) bytes("extra"));
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("has size 10, expected the number of entries")
        .hasMessageContaining(", 11");

    db.execute("DELETE FROM " + name + "_entries WHERE idx = 4");
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("expected index 4, found 5");
  }

  @Test
  void refusesToOpenWhenTheNewestCheckpointIsNotSignedByThisLogsKey() throws IOException {
    try (PostgresAuditLog log = open(signer(11))) {
      log.append(bytes("signed by key 11")).join();
    }
    assertThatThrownBy(() -> open(signer(12)))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("does not verify with this log's key");
  }

  @Test
  void stopsAReplicaWhoseCatchUpFindsRowsNotWrittenByAReplica() throws IOException {
    try (PostgresAuditLog a = open();
        PostgresAuditLog b = open()) {
      a.append(bytes("genuine")).join();
      db.execute("INSERT INTO " + name + "_entries (idx, entry) VALUES (1, ?)", (Object) bytes("forged"));
      db.execute(
          "INSERT INTO " + name + "_checkpoints (tree_size, root_hash) VALUES (2, ?)",
          (Object) new byte[32]);

      assertThatThrownBy(b::catchUp)
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("appended by another replica hash to root");
      assertThat(b.writable()).isFalse();
      assertThat(b.size()).isZero();
      assertThatThrownBy(() -> b.append(bytes("more")).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(AuditLogException.class);
    }
  }

  // An intruder with write access to the database appends an entry and a tree head whose
  // unsigned root_hash is exactly right, with the given note; the replicas must not adopt it.
  private void forgeSecondEntry(AppendResult genuine, Optional<String> note) {
    byte[] forged = bytes("forged");
    byte[] root = ReferenceTree.mth(List.of(genuine.leafHash(), MerkleHash.leafHash(forged)));
    db.execute("INSERT INTO " + name + "_entries (idx, entry) VALUES (1, ?)", (Object) forged);
    db.execute(
        "INSERT INTO " + name + "_checkpoints (tree_size, root_hash, note) VALUES (2, ?, ?)",
        root,
        note.orElse(null));
  }

  private void assertRefusedAtCatchUpAppendAndOpen(
      CheckpointSigner signer, PostgresAuditLog writer, PostgresAuditLog idle, String reason)
      throws IOException {
    CheckpointVerifier verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
    assertThatThrownBy(idle::catchUp)
        .isInstanceOf(AuditLogException.class)
        .hasMessageContaining("tree size 2")
        .hasMessageContaining(reason);
    assertThat(idle.writable()).isFalse();
    assertThat(idle.size()).isZero();
    assertThat(verifier.verify(idle.checkpoint().orElseThrow()).size()).isZero();

    // The writer meets the rows when it catches up before numbering its next batch.
    assertThatThrownBy(() -> writer.append(bytes("next")).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(AuditLogException.class)
        .hasMessageContaining("tree size 2")
        .hasMessageContaining(reason);
    assertThat(writer.size()).isEqualTo(1);
    assertThat(verifier.verify(writer.checkpoint().orElseThrow()).size()).isEqualTo(1);

    assertThatThrownBy(() -> open(signer))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("tree size 2")
        .hasMessageContaining(reason);
  }

  @Test
  void refusesRowsAddedBySqlWithAMatchingRootButNoSignedCheckpoint() throws IOException {
    CheckpointSigner signer = signer(13);
    try (PostgresAuditLog a = open(signer);
        PostgresAuditLog b = open(signer)) {
      AppendResult genuine = a.append(bytes("genuine")).join();
      forgeSecondEntry(genuine, Optional.empty());

      assertRefusedAtCatchUpAppendAndOpen(signer, a, b, "has no signed checkpoint");
    }
  }

  @Test
  void refusesRowsWhoseTreeHeadIsSignedByAnotherKey() throws IOException {
    CheckpointSigner signer = signer(15);
    CheckpointSigner intruder = signer(16);
    try (PostgresAuditLog a = open(signer);
        PostgresAuditLog b = open(signer)) {
      AppendResult genuine = a.append(bytes("genuine")).join();
      byte[] root =
          ReferenceTree.mth(List.of(genuine.leafHash(), MerkleHash.leafHash(bytes("forged"))));
      forgeSecondEntry(genuine, Optional.of(intruder.sign(2, root)));

      assertRefusedAtCatchUpAppendAndOpen(signer, a, b, "does not verify with this log's key");
    }
  }

  @Test
  void refusesRowsWhoseTreeHeadCarriesAGenuineCheckpointOfAnotherTree() throws IOException {
    CheckpointSigner signer = signer(17);
    try (PostgresAuditLog a = open(signer);
        PostgresAuditLog b = open(signer)) {
      AppendResult genuine = a.append(bytes("genuine")).join();
      // Replays the real, validly signed checkpoint of tree size 1 on the forged row.
      forgeSecondEntry(genuine, genuine.checkpoint());

      assertRefusedAtCatchUpAppendAndOpen(signer, a, b, "signs tree size 1");
    }
  }

  @Test
  void refusesAnEntryLargerThanOneMebibyteAndStoresOneOfExactlyThatSize() throws IOException {
    byte[] largest = new byte[AuditLog.MAX_ENTRY_BYTES];
    new Random(31).nextBytes(largest);
    try (PostgresAuditLog log = open()) {
      assertThatThrownBy(() -> log.append(new byte[AuditLog.MAX_ENTRY_BYTES + 1]).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected at most " + AuditLog.MAX_ENTRY_BYTES);
      assertThat(log.size()).isZero();
      assertThat(log.writable()).isTrue();

      assertThat(log.append(largest).join().index()).isZero();
      assertThat(log.entry(0)).isEqualTo(largest);
    }
  }

  @Test
  void refusesToServeAnEntryChangedAfterOpen() throws IOException {
    try (PostgresAuditLog log = open()) {
      log.append(bytes("original")).join();
      db.execute("UPDATE " + name + "_entries SET entry = ? WHERE idx = 0", (Object) bytes("forged"));
      assertThatThrownBy(() -> log.entry(0))
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("no longer matches its leaf hash");
    }
  }

  @Test
  void rejectsALogNameThatIsNotAPlainIdentifier() {
    assertThatThrownBy(() -> PostgresAuditLog.Options.defaults().withLogName("audit; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower-case SQL identifier");
  }
}
