package nl.schakel.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production audit log: entries in PostgreSQL, shared by several gateway replicas that
 * together write one gap-free sequence, with the Merkle tree held in memory by each replica and
 * rebuilt from the rows on open.
 *
 * <p>Appends are group-committed like {@link FileAuditLog}'s: one writer thread per replica takes
 * every queued append and stores the batch in one transaction, whose commit (with {@code
 * synchronous_commit = on}, so after PostgreSQL's WAL fsync) is what makes it durable. Each batch
 * transaction first takes a transaction-scoped advisory lock derived from the log's name: that lock
 * is the single sequencer of all replicas. Holding it, the replica reads the rows others committed
 * since it last looked, checks them against the tree head stored with them, and only then numbers
 * its own entries. So every replica's tree equals the table, and checkpoints signed by any replica
 * (with the one shared key) belong to one history.
 *
 * <p>An idle replica catches up every {@link Options#pollInterval()}, or at once through {@link
 * #catchUp()}, so its size and checkpoint advance although it appends nothing.
 *
 * <p>Fail-closed like {@link FileAuditLog}: a failed batch (database gone, commit outcome unknown)
 * or rows that no longer match their tree head stop this replica for good; reopening rebuilds it
 * from the table. A failed poll only marks the log unwritable until a later poll or batch succeeds.
 */
public final class PostgresAuditLog implements AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresAuditLog.class);
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Tuning of a {@link PostgresAuditLog}; start from {@link #defaults()}.
   *
   * @param logName lower-case SQL identifier naming the log: its tables are {@code
   *     <logName>_entries} and {@code <logName>_checkpoints} (in the connection's current schema),
   *     and its advisory lock is derived from it. Every replica of one log uses the same name
   * @param maxBatchEntries most appends stored by one transaction
   * @param maxPendingAppends most appends waiting for the database; more fail at once
   * @param completionExecutor where append futures are completed; never the writer thread
   * @param checkpointSigner when present, a checkpoint is signed after every batch, carried by
   *     every {@link AppendResult} of the batch and stored with it. Replicas of one log must share
   *     the key and origin, or their checkpoints would not form one sequence. With a signer, the
   *     newest tree head on open and every tree head catching up must carry a checkpoint signed
   *     with this key, so a log written without a signer cannot be opened with one
   * @param pollInterval how often an idle replica looks for entries other replicas appended;
   *     {@link Duration#ZERO} never polls (then only appends and {@link #catchUp()} do)
   */
  public record Options(
      String logName,
      int maxBatchEntries,
      int maxPendingAppends,
      Executor completionExecutor,
      Optional<CheckpointSigner> checkpointSigner,
      Duration pollInterval) {

    /** Requires a valid log name, positive limits, an executor and a non-negative interval. */
    public Options {
      PgTables.requireName(Objects.requireNonNull(logName, "logName"));
      requirePositive("maxBatchEntries", maxBatchEntries);
      requirePositive("maxPendingAppends", maxPendingAppends);
      Objects.requireNonNull(completionExecutor, "completionExecutor");
      Objects.requireNonNull(checkpointSigner, "checkpointSigner");
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.isNegative()) {
        throw new IllegalArgumentException("pollInterval must not be negative, found " + pollInterval);
      }
    }

    /**
     * Log {@code schakel_audit}, 1024 entries per transaction, 65536 pending, completion on the
     * common pool, no checkpoints, polling every second.
     */
    public static Options defaults() {
      return new Options(
          "schakel_audit", 1024, 65_536, ForkJoinPool.commonPool(), Optional.empty(), Duration.ofSeconds(1));
    }

    public Options withLogName(String value) {
      return new Options(
          value, maxBatchEntries, maxPendingAppends, completionExecutor, checkpointSigner, pollInterval);
    }

    public Options withMaxBatchEntries(int value) {
      return new Options(
          logName, value, maxPendingAppends, completionExecutor, checkpointSigner, pollInterval);
    }

    public Options withMaxPendingAppends(int value) {
      return new Options(
          logName, maxBatchEntries, value, completionExecutor, checkpointSigner, pollInterval);
    }

    public Options withCompletionExecutor(Executor value) {
      return new Options(
          logName, maxBatchEntries, maxPendingAppends, value, checkpointSigner, pollInterval);
    }

    /** Signs a checkpoint after every batch with {@code value}. */
    public Options withCheckpointSigner(CheckpointSigner value) {
      return new Options(
          logName, maxBatchEntries, maxPendingAppends, completionExecutor, Optional.of(value), pollInterval);
    }

    public Options withPollInterval(Duration value) {
      return new Options(
          logName, maxBatchEntries, maxPendingAppends, completionExecutor, checkpointSigner, value);
    }

    private static void requirePositive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, found " + value);
      }
    }
  }

  private final DataSource dataSource;
  private final PgTables tables;
  private final Optional<CheckpointSigner> signer;
  private final AtomicBoolean closed = new AtomicBoolean();

  // The sequencer connection is used by batches (writer thread) and catch-ups (poller or caller),
  // one at a time under this lock; reads of entries have a connection of their own.
  private final ReentrantLock sequencer = new ReentrantLock();
  private Connection sequencerConnection; // guarded by sequencer; null after a failure
  private final Object readerLock = new Object();
  private Connection readerConnection; // guarded by readerLock; opened on first use

  // The tree may hold leaves beyond visibleSize: those of a batch whose commit is in progress, or
  // of one that failed and stopped the log. Readers only ever see the first visibleSize leaves,
  // all of them committed.
  private final GuardedTree tree;
  private volatile long visibleSize;
  // Written under the sequencer lock in tree-size order, so it only grows.
  private volatile Optional<String> latestCheckpoint;

  // Set once, when a batch failed or rows stopped matching their tree head: the end of this log.
  private volatile Throwable stopped;
  // Set while polling fails; cleared by a later successful poll or batch.
  private volatile Throwable pollFailure;

  private final GroupCommitter committer;
  private final Optional<ScheduledExecutorService> poller;

  private PostgresAuditLog(
      DataSource dataSource,
      PgTables tables,
      Options options,
      Connection sequencerConnection,
      MerkleTree tree) {
    this.dataSource = dataSource;
    this.tables = tables;
    this.signer = options.checkpointSigner();
    this.sequencerConnection = sequencerConnection;
    this.tree = new GuardedTree(tree);
    this.visibleSize = tree.size();
    this.latestCheckpoint = signer.map(s -> s.sign(tree.size(), tree.root())); // not shared yet
    this.committer =
        new GroupCommitter(
            this::writeBatch,
            options.maxBatchEntries(),
            options.maxPendingAppends(),
            options.completionExecutor(),
            "schakel-audit-writer-pg-" + tables.name);
    if (options.pollInterval().isZero()) {
      this.poller = Optional.empty();
    } else {
      ScheduledExecutorService executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "schakel-audit-poll-pg-" + tables.name);
                thread.setDaemon(true);
                return thread;
              });
      long millis = Math.max(1, options.pollInterval().toMillis());
      executor.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
      this.poller = Optional.of(executor);
    }
  }

  /**
   * Opens the log at {@code jdbcUrl} as {@code user}; see {@link #open(DataSource, Options)}. The
   * password is used to connect and never logged.
   */
  public static PostgresAuditLog open(String jdbcUrl, String user, String password, Options options)
      throws IOException {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
    dataSource.setUser(Objects.requireNonNull(user, "user"));
    dataSource.setPassword(Objects.requireNonNull(password, "password"));
    // A database that silently stops answering must fail appends, not hang them: the gateway
    // asks nobody while it cannot log.
    dataSource.setTcpKeepAlive(true);
    dataSource.setConnectTimeout(10);
    dataSource.setSocketTimeout(30);
    dataSource.setReWriteBatchedInserts(true);
    return open(dataSource, options);
  }

  /**
   * Opens the log named {@link Options#logName()} in the database behind {@code dataSource},
   * creating its tables if absent, and rebuilds the tree from the rows. Fails with {@link
   * CorruptLogException} when the indexes have a gap, or the newest stored tree head does not
   * match the entries (a changed, added or deleted row), or, with a signer, its signed checkpoint
   * is missing, does not verify with the signer's key or signs another tree; with an IOException
   * when the database cannot be reached.
   */
  public static PostgresAuditLog open(DataSource dataSource, Options options) throws IOException {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(options, "options");
    PgTables tables = PgTables.of(options.logName());
    long before = System.nanoTime();
    Connection connection = null;
    try {
      connection = connect(dataSource);
      warnWithoutFsync(connection);
      createTables(connection, tables);
      MerkleTree tree = load(connection, tables, options.checkpointSigner());
      LOG.info(
          "audit log {} opened from PostgreSQL: {} entries, rebuilt in {} ms",
          tables.name,
          tree.size(),
          (System.nanoTime() - before) / 1_000_000);
      return new PostgresAuditLog(dataSource, tables, options, connection, tree);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new IOException(
          "could not open audit log " + tables.name + " in PostgreSQL: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static Connection connect(DataSource dataSource) throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        // A commit is our acknowledgement, so it must wait for the WAL flush whatever the
        // server's default says.
        st.execute("SET synchronous_commit = on");
      }
      connection.commit();
      return connection;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static void warnWithoutFsync(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SHOW fsync")) {
      if (rs.next() && "off".equalsIgnoreCase(rs.getString(1))) {
        LOG.warn("PostgreSQL runs with fsync = off: audit entries may be lost in a crash");
      }
    }
    connection.commit();
  }

  // Under the advisory lock, so replicas starting together do not race on CREATE TABLE.
  private static void createTables(Connection connection, PgTables tables) throws SQLException {
    try {
      lock(connection, tables);
      try (Statement st = connection.createStatement()) {
        for (String ddl : tables.ddl()) {
          st.execute(ddl);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly(connection);
      throw e;
    }
  }

  // One repeatable-read snapshot, so the entries and the newest tree head belong together while
  // other replicas keep appending.
  private static MerkleTree load(
      Connection connection, PgTables tables, Optional<CheckpointSigner> signer)
      throws SQLException, CorruptLogException {
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      MerkleTree tree = new MerkleTree();
      try (PreparedStatement st = connection.prepareStatement(tables.entriesFrom())) {
        st.setFetchSize(1024);
        st.setLong(1, 0);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            long index = rs.getLong(1);
            if (index != tree.size()) {
              throw new CorruptLogException(
                  "audit table "
                      + tables.entries
                      + " has a gap: expected index "
                      + tree.size()
                      + ", found "
                      + index);
            }
            tree.append(MerkleHash.leafHash(rs.getBytes(2)));
          }
        }
      }
      verifyNewestTreeHead(connection, tables, signer, tree);
      connection.commit();
      // Batches must see each other's commits statement by statement, after taking the lock.
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      return tree;
    } catch (SQLException | CorruptLogException | RuntimeException e) {
      rollbackQuietly(connection); // the caller closes the connection
      throw e;
    }
  }

  // Every batch stores its entries and the tree head after them in one transaction, so the
  // newest tree head must cover exactly all entries, with the root they hash to.
  private static void verifyNewestTreeHead(
      Connection connection, PgTables tables, Optional<CheckpointSigner> signer, MerkleTree tree)
      throws SQLException, CorruptLogException {
    long size;
    byte[] root;
    Optional<String> note;
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(tables.newestCheckpoint())) {
      if (!rs.next()) {
        if (tree.size() > 0) {
          throw new CorruptLogException(
              "audit table "
                  + tables.checkpoints
                  + " is empty, expected a tree head of size "
                  + tree.size()
                  + " for the entries in "
                  + tables.entries);
        }
        return;
      }
      size = rs.getLong(1);
      root = rs.getBytes(2);
      note = Optional.ofNullable(rs.getString(3));
    }
    if (size != tree.size()) {
      throw new CorruptLogException(
          "newest tree head in "
              + tables.checkpoints
              + " has size "
              + size
              + ", expected the number of entries in "
              + tables.entries
              + ", "
              + tree.size());
    }
    if (signer.isPresent()) {
      Optional<String> problem = signedNoteProblem(tables, signer.get(), size, root, note);
      if (problem.isPresent()) {
        throw new CorruptLogException("newest " + problem.get());
      }
    }
    byte[] recomputed = tree.root(size);
    if (!Arrays.equals(recomputed, root)) {
      throw new CorruptLogException(firstMismatch(connection, tables, tree));
    }
  }

  // With a signer, a tree head row is trusted only through its signed note: root_hash is
  // unsigned, so anyone who can write the table could otherwise add rows with a matching root and
  // have this replica sign them. Every replica with the key stores the note with each row, so a
  // row without one was not written by such a replica. The caller still compares the row's root
  // with the root the entries hash to. Empty when the note signs exactly this row.
  private static Optional<String> signedNoteProblem(
      PgTables tables, CheckpointSigner signer, long size, byte[] root, Optional<String> note) {
    if (note.isEmpty()) {
      return Optional.of(
          "tree head in "
              + tables.checkpoints
              + " (tree size "
              + size
              + ") has no signed checkpoint, expected one signed with this log's key");
    }
    Checkpoint signed;
    try {
      signed = CheckpointVerifier.forVerifierKey(signer.verifierKey()).verify(note.get());
    } catch (CheckpointException e) {
      return Optional.of(
          "checkpoint in "
              + tables.checkpoints
              + " (tree size "
              + size
              + ") does not verify with this log's key: "
              + e.getMessage());
    }
    if (signed.size() != size || !Arrays.equals(signed.rootHash(), root)) {
      return Optional.of(
          "checkpoint in "
              + tables.checkpoints
              + " (tree size "
              + size
              + ") signs tree size "
              + signed.size()
              + " root "
              + HEX.formatHex(signed.rootHash())
              + ", expected its row's size "
              + size
              + " root "
              + HEX.formatHex(root));
    }
    return Optional.empty();
  }

  // Names the smallest stored tree head the entries no longer match, and so the range of indexes
  // where a row was changed.
  private static String firstMismatch(Connection connection, PgTables tables, MerkleTree tree)
      throws SQLException {
    long previous = 0;
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(tables.allCheckpointRoots())) {
      while (rs.next()) {
        long size = rs.getLong(1);
        byte[] stored = rs.getBytes(2);
        byte[] recomputed = tree.root(size);
        if (!Arrays.equals(stored, recomputed)) {
          return "audit entries changed at an index in ["
              + previous
              + ", "
              + size
              + "): root of tree size "
              + size
              + " in "
              + tables.checkpoints
              + " is "
              + HEX.formatHex(stored)
              + ", but the entries in "
              + tables.entries
              + " hash to "
              + HEX.formatHex(recomputed);
        }
        previous = size;
      }
    }
    return "audit entries in " + tables.entries + " do not match the newest tree head";
  }

  @Override
  public CompletableFuture<AppendResult> append(byte[] entry) {
    Objects.requireNonNull(entry, "entry");
    if (entry.length > MAX_ENTRY_BYTES) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "audit entry has " + entry.length + " bytes, expected at most " + MAX_ENTRY_BYTES));
    }
    Throwable cause = stopped;
    if (cause != null) {
      return CompletableFuture.failedFuture(stoppedException(cause));
    }
    byte[] copy = entry.clone();
    return committer.submit(copy, MerkleHash.leafHash(copy));
  }

  // Writer thread. Holding the advisory lock, catch up with the other replicas, number this
  // batch after them, and store it with its tree head; readers see it only after the commit.
  private List<AppendResult> writeBatch(List<GroupCommitter.PendingAppend> batch) throws Exception {
    sequencer.lock();
    try {
      Throwable cause = stopped;
      if (cause != null) {
        throw stoppedException(cause);
      }
      Connection connection = null;
      try {
        connection = sequencerConnection();
        lock(connection, tables);
        catchUpWithin(connection, false);
        long first = visibleSize;
        try (PreparedStatement st = connection.prepareStatement(tables.insertEntry())) {
          for (int i = 0; i < batch.size(); i++) {
            st.setLong(1, first + i);
            st.setBytes(2, batch.get(i).entry());
            st.addBatch();
          }
          st.executeBatch();
        }
        long[] size = new long[1];
        byte[] root = tree.write(t -> {
          for (GroupCommitter.PendingAppend append : batch) {
            t.append(append.leafHash());
          }
          size[0] = t.size();
          return t.root();
        });
        long treeSize = size[0];
        Optional<String> checkpoint = signer.map(s -> s.sign(treeSize, root));
        try (PreparedStatement st = connection.prepareStatement(tables.insertCheckpoint())) {
          st.setLong(1, treeSize);
          st.setBytes(2, root);
          st.setString(3, checkpoint.orElse(null));
          st.executeUpdate();
        }
        connection.commit();
        visibleSize = treeSize;
        if (checkpoint.isPresent()) {
          latestCheckpoint = checkpoint;
        }
        pollFailure = null;
        List<AppendResult> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          results.add(
              new AppendResult(first + i, treeSize, batch.get(i).leafHash(), root, checkpoint));
        }
        return results;
      } catch (Throwable t) { // the commit's outcome may be unknown: stop rather than guess
        stopped = t;
        rollbackQuietly(connection);
        dropSequencerConnection();
        throw t;
      }
    } finally {
      sequencer.unlock();
    }
  }

  /**
   * Reads the entries other replicas appended since this one last looked, checks them against
   * the tree head stored with them, and makes them visible here: size, proofs and checkpoint
   * advance without waiting for the next poll. Fails with {@link AuditLogException} when the
   * database cannot be reached, or when the rows do not match their tree head or, with a signer,
   * that tree head lacks a checkpoint signed with this log's key for exactly those rows (then this
   * replica stops for good). Requires an open log.
   */
  public void catchUp() {
    requireOpen();
    sequencer.lock();
    try {
      catchUpLocked();
    } finally {
      sequencer.unlock();
    }
  }

  private void poll() {
    if (closed.get() || stopped != null || !sequencer.tryLock()) {
      return; // a running batch catches up by itself
    }
    try {
      catchUpLocked();
    } catch (RuntimeException e) {
      LOG.warn("audit log {} could not catch up with other replicas: {}", tables.name, e.getMessage());
    } finally {
      sequencer.unlock();
    }
  }

  private void catchUpLocked() {
    Throwable cause = stopped;
    if (cause != null) {
      throw stoppedException(cause);
    }
    Connection connection = null;
    try {
      connection = sequencerConnection();
      catchUpWithin(connection, true);
      connection.commit();
      pollFailure = null;
    } catch (SQLException e) {
      pollFailure = e;
      rollbackQuietly(connection);
      dropSequencerConnection();
      throw new AuditLogException(
          "audit log " + tables.name + " could not read PostgreSQL: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollbackQuietly(connection);
      throw e;
    }
  }

  // Rows committed by others are durable already, so they become visible at once; they must
  // continue this tree without a gap and hash to the tree head committed with them. A mismatch
  // means someone other than a replica wrote the table: stop.
  private void catchUpWithin(Connection connection, boolean sign) throws SQLException {
    long from = visibleSize;
    List<byte[]> leaves = new ArrayList<>();
    try (PreparedStatement st = connection.prepareStatement(tables.entriesFrom())) {
      st.setFetchSize(1024);
      st.setLong(1, from);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long index = rs.getLong(1);
          long expected = from + leaves.size();
          if (index != expected) {
            throw corruption(
                "audit table " + tables.entries + " has a gap: expected index " + expected
                    + ", found " + index);
          }
          leaves.add(MerkleHash.leafHash(rs.getBytes(2)));
        }
      }
    }
    if (leaves.isEmpty()) {
      return;
    }
    long newSize = from + leaves.size();
    byte[] stored;
    Optional<String> note;
    try (PreparedStatement st = connection.prepareStatement(tables.checkpointAt())) {
      st.setLong(1, newSize);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw corruption(
              "audit table " + tables.checkpoints + " has no tree head of size " + newSize
                  + ", expected one for the entries other replicas appended");
        }
        stored = rs.getBytes(1);
        note = Optional.ofNullable(rs.getString(2));
      }
    }
    if (signer.isPresent()) {
      Optional<String> problem = signedNoteProblem(tables, signer.get(), newSize, stored, note);
      if (problem.isPresent()) {
        throw corruption(
            "audit entries [" + from + ", " + newSize + ") appended by another replica: "
                + problem.get());
      }
    }
    byte[] root = tree.write(t -> {
      for (byte[] leaf : leaves) {
        t.append(leaf);
      }
      byte[] grown = t.root();
      if (!Arrays.equals(grown, stored)) {
        throw corruption(
            "audit entries ["
                + from
                + ", "
                + newSize
                + ") appended by another replica hash to root "
                + HEX.formatHex(grown)
                + ", expected the stored tree head's "
                + HEX.formatHex(stored));
      }
      visibleSize = newSize;
      return grown;
    });
    if (sign && signer.isPresent()) {
      latestCheckpoint = Optional.of(signer.get().sign(newSize, root));
    }
  }

  private AuditLogException corruption(String message) {
    AuditLogException e = new AuditLogException(message + "; reopen the log to check the table");
    stopped = e;
    return e;
  }

  private Connection sequencerConnection() throws SQLException {
    if (sequencerConnection == null) {
      sequencerConnection = connect(dataSource);
    }
    return sequencerConnection;
  }

  private void dropSequencerConnection() {
    closeQuietly(sequencerConnection);
    sequencerConnection = null;
  }

  private static void lock(Connection connection, PgTables tables) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(tables.lock())) {
      st.setLong(1, tables.advisoryLockKey);
      st.execute();
    }
  }

  @Override
  public long size() {
    requireOpen();
    return visibleSize;
  }

  /** Returns entry {@code index} as stored, after checking it still hashes to its leaf. */
  @Override
  public byte[] entry(long index) {
    long size = size();
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "expected 0 <= index < size (" + size + "), found index " + index);
    }
    byte[] entry;
    synchronized (readerLock) {
      try {
        if (readerConnection == null) {
          readerConnection = dataSource.getConnection();
          readerConnection.setAutoCommit(true);
        }
        try (PreparedStatement st = readerConnection.prepareStatement(tables.entryAt())) {
          st.setLong(1, index);
          try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
              throw new AuditLogException(
                  "audit entry " + index + " is missing from " + tables.entries);
            }
            entry = rs.getBytes(1);
          }
        }
      } catch (SQLException e) {
        closeQuietly(readerConnection);
        readerConnection = null;
        throw new AuditLogException(
            "could not read audit entry " + index + " from PostgreSQL: " + e.getMessage(), e);
      }
    }
    byte[] expected = tree.read(t -> t.leafHash(index));
    if (!Arrays.equals(MerkleHash.leafHash(entry), expected)) {
      throw new AuditLogException(
          "audit entry " + index + " in " + tables.entries + " no longer matches its leaf hash "
              + HEX.formatHex(expected));
    }
    return entry;
  }

  @Override
  public List<byte[]> inclusionProof(long index, long treeSize) {
    requireVisible(treeSize);
    return tree.read(t -> t.inclusionProof(index, treeSize));
  }

  @Override
  public List<byte[]> consistencyProof(long first, long second) {
    requireVisible(second);
    return tree.read(t -> t.consistencyProof(first, second));
  }

  @Override
  public byte[] root(long treeSize) {
    requireVisible(treeSize);
    return tree.read(t -> t.root(treeSize));
  }

  @Override
  public Optional<String> checkpoint() {
    requireOpen();
    return latestCheckpoint;
  }

  @Override
  public boolean writable() {
    return !closed.get() && committer.accepting() && stopped == null && pollFailure == null;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    poller.ifPresent(
        executor -> {
          executor.shutdown();
          try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    committer.close();
    sequencer.lock();
    try {
      dropSequencerConnection();
    } finally {
      sequencer.unlock();
    }
    synchronized (readerLock) {
      closeQuietly(readerConnection);
      readerConnection = null;
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("audit log is closed");
    }
  }

  // The tree may be ahead of what is committed; nothing beyond visibleSize may leak out.
  private void requireVisible(long treeSize) {
    long size = size();
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException(
          "expected 0 <= treeSize <= size (" + size + "), found treeSize " + treeSize);
    }
  }

  private static AuditLogException stoppedException(Throwable cause) {
    return new AuditLogException(
        "audit log stopped accepting appends after a failure ("
            + cause.getMessage()
            + "); reopen it to recover",
        cause);
  }

  private static void rollbackQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException ignored) {
      // The connection is gone or broken; the transaction ends with it.
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException | RuntimeException ignored) {
      // Nothing left to release that the server will not release by itself.
    }
  }
}
