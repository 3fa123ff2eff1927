package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitTest {

  @TempDir Path dir;

  @Test
  void concurrentAppendersGetConsecutiveIndexesInTheirOwnOrder() throws Exception {
    int threads = 8;
    int perThread = 250;
    List<List<AppendResult>> resultsPerThread = new ArrayList<>();
    byte[] root;
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<AppendResult>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    // Fire all, then wait: many appends in flight at once is what forms batches.
                    List<CompletableFuture<AppendResult>> pending = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                      pending.add(log.append(payload(thread, i)));
                    }
                    return pending.stream().map(CompletableFuture::join).toList();
                  }));
        }
        start.countDown();
        for (Future<List<AppendResult>> future : futures) {
          resultsPerThread.add(future.get());
        }
      } finally {
        pool.shutdownNow();
      }

      long total = (long) threads * perThread;
      assertThat(log.size()).isEqualTo(total);
      Set<Long> indexes = new HashSet<>();
      for (int t = 0; t < threads; t++) {
        List<AppendResult> results = resultsPerThread.get(t);
        for (int i = 0; i < perThread; i++) {
          AppendResult result = results.get(i);
          assertThat(indexes.add(result.index())).as("index %d handed out twice", result.index()).isTrue();
          if (i > 0) {
            assertThat(result.index()).as("thread %d's own order", t).isGreaterThan(results.get(i - 1).index());
          }
          assertThat(log.entry(result.index())).isEqualTo(payload(t, i));
          assertThat(result.leafHash()).isEqualTo(MerkleHash.leafHash(payload(t, i)));
          assertThat(log.root(result.treeSize())).isEqualTo(result.rootHash());
          ProofVerifier.verifyInclusion(
              result.leafHash(),
              result.index(),
              result.treeSize(),
              log.inclusionProof(result.index(), result.treeSize()),
              result.rootHash());
        }
      }
      assertThat(indexes).containsExactlyInAnyOrderElementsOf(LongStream.range(0, total).boxed().toList());
      root = log.root(total);
    }

    try (FileAuditLog reopened = FileAuditLog.open(dir)) {
      assertThat(reopened.recovery().clean()).isTrue();
      assertThat(reopened.size()).isEqualTo((long) threads * perThread);
      assertThat(reopened.root(reopened.size())).isEqualTo(root);
      for (int t = 0; t < threads; t++) {
        for (AppendResult result : resultsPerThread.get(t)) {
          assertThat(MerkleHash.leafHash(reopened.entry(result.index()))).isEqualTo(result.leafHash());
        }
      }
    }
  }

  @Test
  void appendsWaitingForTheDiskShareOneFsyncAndCompleteOnlyAfterIt() throws Exception {
    FaultyStorage storage = new FaultyStorage();
    try (FileAuditLog log = FileAuditLog.open(dir, FileAuditLog.Options.defaults(), storage);
        HeldForces held = new HeldForces(storage)) {
      CompletableFuture<AppendResult> first = log.append(bytes("first"));
      storage.awaitHeldForce(); // the writer is inside the first batch's fsync
      int forcesBefore = storage.completedForces();

      List<CompletableFuture<AppendResult>> queued = new ArrayList<>();
      for (int i = 0; i < 99; i++) {
        queued.add(log.append(bytes("queued " + i)));
      }
      // append() returned although the disk is stuck: it never blocks its caller.
      assertThat(first).isNotDone();
      assertThat(queued).noneMatch(CompletableFuture::isDone);
      assertThat(log.size()).as("nothing is visible before its fsync").isZero();

      storage.releaseOneForce();
      assertThat(first.get(10, TimeUnit.SECONDS).treeSize()).isEqualTo(1);
      storage.awaitHeldForce(); // the 99 are written and wait for their one fsync
      assertThat(queued).noneMatch(CompletableFuture::isDone);

      held.release();
      List<AppendResult> results = queued.stream().map(CompletableFuture::join).toList();
      assertThat(storage.completedForces() - forcesBefore).as("fsyncs for 100 appends").isEqualTo(2);
      assertThat(results).extracting(AppendResult::index).containsExactlyElementsOf(LongStream.rangeClosed(1, 99).boxed().toList());
      assertThat(results).extracting(AppendResult::treeSize).containsOnly(100L);
      assertThat(log.size()).isEqualTo(100);
    }
  }

  @Test
  void aFailedFsyncStopsTheLogInsteadOfCarryingOn() throws Exception {
    FaultyStorage storage = new FaultyStorage();
    try (FileAuditLog log = FileAuditLog.open(dir, FileAuditLog.Options.defaults(), storage)) {
      AppendResult stored = log.append(bytes("stored")).join();
      storage.failForcesWith(new IOException("fsync failed: EIO"));

      assertThatThrownBy(() -> log.append(bytes("lost")).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("stopped accepting appends")
          .hasMessageContaining("fsync failed: EIO")
          .hasRootCauseMessage("fsync failed: EIO");
      assertThat(log.writable()).isFalse();

      storage.failForcesWith(null); // even if the disk recovers, the log stays stopped
      assertThatThrownBy(() -> log.append(bytes("later")).join())
          .cause()
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("stopped accepting appends");
      assertThat(log.size()).as("only durable entries count").isEqualTo(1);
      assertThat(log.entry(stored.index())).isEqualTo(bytes("stored"));
    }

    try (FileAuditLog reopened = FileAuditLog.open(dir)) {
      assertThat(reopened.writable()).isTrue();
      assertThat(reopened.entry(0)).isEqualTo(bytes("stored"));
      // The failed append may or may not have reached the disk; a log may hold an entry whose
      // caller was told it failed (an intent never acted upon), never lose one it acknowledged.
      assertThat(reopened.size()).isBetween(1L, 2L);
      assertThat(reopened.append(bytes("after reopen")).join().index()).isEqualTo(reopened.size() - 1);
    }
  }

  @Test
  void aFailedWriteStopsTheLog() throws Exception {
    FaultyStorage storage = new FaultyStorage();
    try (FileAuditLog log = FileAuditLog.open(dir, FileAuditLog.Options.defaults(), storage)) {
      log.append(bytes("stored")).join();
      storage.failWritesWith(new IOException("No space left on device"));

      assertThatThrownBy(() -> log.append(bytes("lost")).join())
          .cause()
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("No space left on device");
      assertThat(log.writable()).isFalse();
      assertThat(log.size()).isEqualTo(1);
    }
  }

  @Test
  void refusesAppendsBeyondThePendingLimitAtOnce() throws Exception {
    FaultyStorage storage = new FaultyStorage();
    FileAuditLog.Options options = FileAuditLog.Options.defaults().withMaxPendingAppends(3);
    try (FileAuditLog log = FileAuditLog.open(dir, options, storage);
        HeldForces held = new HeldForces(storage)) {
      CompletableFuture<AppendResult> inFsync = log.append(bytes("in fsync"));
      storage.awaitHeldForce();
      List<CompletableFuture<AppendResult>> waiting =
          List.of(log.append(bytes("a")), log.append(bytes("b")), log.append(bytes("c")));

      assertThatThrownBy(() -> log.append(bytes("one too many")).join())
          .cause()
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("3 appends waiting for the disk, expected fewer");

      held.release();
      inFsync.join();
      waiting.forEach(CompletableFuture::join);
      assertThat(log.size()).isEqualTo(4);
      assertThat(log.writable()).as("a full queue is back-pressure, not a failure").isTrue();
    }
  }

  @Test
  void closeWaitsForAcceptedAppendsToBecomeDurable() throws Exception {
    List<CompletableFuture<AppendResult>> accepted = new ArrayList<>();
    FileAuditLog log = FileAuditLog.open(dir);
    for (int i = 0; i < 200; i++) {
      accepted.add(log.append(bytes("entry " + i)));
    }
    log.close();

    for (CompletableFuture<AppendResult> future : accepted) {
      assertThat(future.get(10, TimeUnit.SECONDS)).isNotNull();
    }
    try (FileAuditLog reopened = FileAuditLog.open(dir)) {
      assertThat(reopened.size()).isEqualTo(200);
      assertThat(reopened.entry(199)).isEqualTo(bytes("entry 199"));
    }
  }

  /**
   * Holds every fsync while open; closing lets them go, and is declared after the log so it runs
   * first: a failed assertion must not leave the writer stuck and close() waiting for it forever.
   */
  private static final class HeldForces implements AutoCloseable {
    private final FaultyStorage storage;

    HeldForces(FaultyStorage storage) {
      this.storage = storage;
      storage.holdForces();
    }

    void release() {
      storage.stopHoldingForces();
    }

    @Override
    public void close() {
      release();
    }
  }

  private static byte[] payload(int thread, int i) {
    return bytes("thread " + thread + " append " + i + " " + "x".repeat((thread * 31 + i) % 50));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
