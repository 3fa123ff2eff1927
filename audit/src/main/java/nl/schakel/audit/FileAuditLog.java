package nl.schakel.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded audit log: entries in segment files under one directory, fsynced in groups, with
 * the Merkle tree over them held in memory and rebuilt from the files on open.
 *
 * <p>Layout of the directory: {@code audit.lock} (held while open) and {@code
 * segment-<first index, 20 digits>.log} files, each a header followed by frames {@code [u32
 * length][u32 crc32c][u64 index][entry]}. Nothing else is needed to rebuild the log.
 */
public final class FileAuditLog implements AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger(FileAuditLog.class);

  /**
   * Tuning of a {@link FileAuditLog}; start from {@link #defaults()}.
   *
   * @param maxBatchEntries most appends made durable by one fsync
   * @param maxPendingAppends most appends waiting for the disk; more fail at once (fail fast
   *     rather than queue without bound while the disk stalls)
   * @param segmentTargetBytes size at which the newest segment is closed and a new one started;
   *     a segment may exceed it by up to one batch
   * @param completionExecutor where append futures are completed, and so where their non-async
   *     continuations run; never the writer thread. With a multi-threaded executor, futures of
   *     later batches may complete before those of earlier ones; indexes are always in order
   * @param checkpointSigner when present, a checkpoint is signed after every group commit, so
   *     every {@link AppendResult} carries one that covers its entry (one signature per batch,
   *     not per entry); empty signs nothing
   */
  public record Options(
      int maxBatchEntries,
      int maxPendingAppends,
      long segmentTargetBytes,
      Executor completionExecutor,
      Optional<CheckpointSigner> checkpointSigner) {

    /** Requires positive limits, an executor and a (possibly empty) signer. */
    public Options {
      requirePositive("maxBatchEntries", maxBatchEntries);
      requirePositive("maxPendingAppends", maxPendingAppends);
      requirePositive("segmentTargetBytes", segmentTargetBytes);
      Objects.requireNonNull(completionExecutor, "completionExecutor");
      Objects.requireNonNull(checkpointSigner, "checkpointSigner");
    }

    /** Options that sign no checkpoints. */
    public Options(
        int maxBatchEntries,
        int maxPendingAppends,
        long segmentTargetBytes,
        Executor completionExecutor) {
      this(
          maxBatchEntries, maxPendingAppends, segmentTargetBytes, completionExecutor, Optional.empty());
    }

    /**
     * 1024 entries per fsync, 65536 pending, 64 MiB segments, completion on the common pool, no
     * checkpoints.
     */
    public static Options defaults() {
      return new Options(1024, 65_536, 64L << 20, ForkJoinPool.commonPool());
    }

    public Options withMaxBatchEntries(int value) {
      return new Options(
          value, maxPendingAppends, segmentTargetBytes, completionExecutor, checkpointSigner);
    }

    public Options withMaxPendingAppends(int value) {
      return new Options(
          maxBatchEntries, value, segmentTargetBytes, completionExecutor, checkpointSigner);
    }

    public Options withSegmentTargetBytes(long value) {
      return new Options(
          maxBatchEntries, maxPendingAppends, value, completionExecutor, checkpointSigner);
    }

    public Options withCompletionExecutor(Executor value) {
      return new Options(
          maxBatchEntries, maxPendingAppends, segmentTargetBytes, value, checkpointSigner);
    }

    /** Signs a checkpoint after every group commit with {@code value}. */
    public Options withCheckpointSigner(CheckpointSigner value) {
      return new Options(
          maxBatchEntries,
          maxPendingAppends,
          segmentTargetBytes,
          completionExecutor,
          Optional.of(value));
    }

    private static void requirePositive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, found " + value);
      }
    }
  }

  private final DirectoryLock lock;
  private final SegmentStore store;
  private final RecoveryReport recovery;
  private final GuardedTree tree; // grows only on the writer thread
  private final GroupCommitter committer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Optional<CheckpointSigner> signer;
  // Written only by the opening thread and then the writer thread, in tree-size order, so a
  // reader never sees a checkpoint older than one it saw before.
  private volatile Optional<String> latestCheckpoint;

  private FileAuditLog(
      Path dir,
      Options options,
      DirectoryLock lock,
      SegmentStore store,
      MerkleTree tree,
      RecoveryReport recovery) {
    this.lock = lock;
    this.store = store;
    this.tree = new GuardedTree(tree);
    this.recovery = recovery;
    this.signer = options.checkpointSigner();
    // A checkpoint exists from the start, so the gateway can serve one before the first append.
    this.latestCheckpoint = signer.map(s -> s.sign(tree.size(), tree.root())); // not shared yet
    this.committer =
        new GroupCommitter(
            this::writeBatch,
            options.maxBatchEntries(),
            options.maxPendingAppends(),
            options.completionExecutor(),
            "schakel-audit-writer-" + dir.toAbsolutePath().getFileName());
  }

  /** Opens the log in {@code dir} with default options; see {@link #open(Path, Options)}. */
  public static FileAuditLog open(Path dir) throws IOException {
    return open(dir, Options.defaults());
  }

  /**
   * Opens the log in {@code dir}, creating the directory if missing, and recovers it: a tail torn
   * by a crash is cut off (see {@link #recovery()}), damage elsewhere fails with {@link
   * CorruptLogException}. Fails with an IOException when another writer holds the directory.
   */
  public static FileAuditLog open(Path dir, Options options) throws IOException {
    return open(dir, options, FileChannel::open);
  }

  static FileAuditLog open(Path dir, Options options, ChannelOpener opener) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      // The new directory's own name must survive a crash too, or so would nothing inside it.
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Durability.syncDirectory(parent);
      }
    }
    DirectoryLock lock = DirectoryLock.acquire(dir);
    try {
      MerkleTree tree = new MerkleTree();
      long before = System.nanoTime();
      Recovery.Result recovered =
          Recovery.recover(
              dir,
              opener,
              options.segmentTargetBytes(),
              entry -> tree.append(MerkleHash.leafHash(entry)));
      for (String repair : recovered.repairs()) {
        LOG.warn("audit log recovery repaired {}", repair);
      }
      SegmentStore store = recovered.store();
      RecoveryReport report =
          new RecoveryReport(
              tree.size(), store.segmentCount(), recovered.bytesDiscarded(), recovered.repairs());
      LOG.info(
          "audit log {} opened: {} entries in {} segments, recovered in {} ms",
          dir,
          report.entries(),
          report.segments(),
          (System.nanoTime() - before) / 1_000_000);
      return new FileAuditLog(dir, options, lock, store, tree, report);
    } catch (IOException | RuntimeException e) {
      try {
        lock.release();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Returns what opening found and repaired. */
  public RecoveryReport recovery() {
    return recovery;
  }

  @Override
  public CompletableFuture<AppendResult> append(byte[] entry) {
    Objects.requireNonNull(entry, "entry");
    if (entry.length > MAX_ENTRY_BYTES) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "audit entry has " + entry.length + " bytes, expected at most " + MAX_ENTRY_BYTES));
    }
    // Copied now: the caller may reuse its array as soon as this returns.
    byte[] copy = entry.clone();
    return committer.submit(copy, MerkleHash.leafHash(copy));
  }

  // Writer thread: store durably, then extend the tree, so readers only ever see durable entries.
  private List<AppendResult> writeBatch(List<GroupCommitter.PendingAppend> batch)
      throws IOException {
    List<byte[]> entries = new ArrayList<>(batch.size());
    for (GroupCommitter.PendingAppend append : batch) {
      entries.add(append.entry());
    }
    long first = store.append(entries);
    byte[] root = tree.write(t -> {
      if (first != t.size()) {
        throw new IllegalStateException(
            "store placed the batch at index " + first + ", expected tree size " + t.size());
      }
      for (GroupCommitter.PendingAppend append : batch) {
        t.append(append.leafHash());
      }
      return t.root();
    });
    long treeSize = first + batch.size();
    // Signed after the batch is durable and in the tree, once for the whole batch: the one
    // signature covers every entry in it.
    Optional<String> checkpoint = Optional.empty();
    if (signer.isPresent()) {
      checkpoint = Optional.of(signer.get().sign(treeSize, root));
      latestCheckpoint = checkpoint;
    }
    List<AppendResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      results.add(
          new AppendResult(first + i, treeSize, batch.get(i).leafHash(), root, checkpoint));
    }
    return results;
  }

  @Override
  public long size() {
    requireOpen();
    return tree.read(t -> t.size());
  }

  @Override
  public byte[] entry(long index) {
    long size = size();
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "expected 0 <= index < size (" + size + "), found index " + index);
    }
    try {
      return store.read(index);
    } catch (IOException e) {
      throw new AuditLogException("could not read audit entry " + index + ": " + e, e);
    }
  }

  @Override
  public List<byte[]> inclusionProof(long index, long treeSize) {
    requireOpen();
    return tree.read(t -> t.inclusionProof(index, treeSize));
  }

  @Override
  public List<byte[]> consistencyProof(long first, long second) {
    requireOpen();
    return tree.read(t -> t.consistencyProof(first, second));
  }

  @Override
  public byte[] root(long treeSize) {
    requireOpen();
    return tree.read(t -> t.root(treeSize));
  }

  /**
   * Returns the C2SP tlog-tiles tile at {@code level}, {@code index} of {@code width} hashes (256
   * for a full tile); see {@link Tiles#tile}. Requires the tile to lie within size().
   */
  public byte[] tile(int level, long index, int width) {
    requireOpen();
    return tree.read(t -> Tiles.tile(t, level, index, width));
  }

  @Override
  public Optional<String> checkpoint() {
    requireOpen();
    return latestCheckpoint;
  }

  @Override
  public boolean writable() {
    return !closed.get() && committer.accepting();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    committer.close();
    try {
      store.close();
    } catch (IOException e) {
      LOG.warn("closing audit segment files failed; every acknowledged entry was already durable", e);
    }
    try {
      lock.release();
    } catch (IOException e) {
      LOG.warn("releasing the audit log directory lock failed", e);
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("audit log is closed");
    }
  }
}
