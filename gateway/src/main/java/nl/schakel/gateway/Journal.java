package nl.schakel.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of one-line records (JSON lines) for the gateway's admission state: budgets
 * and pending approvals must survive a restart (ARCHITECTURE.md, Storage), but are small enough to
 * replay into memory at start.
 *
 * <p>All file I/O runs on one dedicated writer thread, never on the caller's (the Vert.x event
 * loop). Appends are group-committed: the writer takes everything queued, writes it, fsyncs once
 * and then completes each caller's future. Compaction rewrites the file from the owner's live
 * state (temp file, fsync, atomic rename), which is how expired records are dropped.
 *
 * <p>Fail-closed like the audit log: after the first I/O failure every append fails, because
 * nobody knows what reached the disk. Reopening (a restart) replays what did.
 *
 * <p>The owner passes its own lock: it must hold it while it changes its memory and calls
 * {@link #append}, and compaction takes it while it snapshots the live state and the queue, so a
 * record is never both in the snapshot and appended after it.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private record Pending(byte[] line, CompletableFuture<Void> done) {}

  private final Path file;
  private final Object ownerLock;
  private final List<String> replayed;
  private final ExecutorService writer;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong lines = new AtomicLong();
  private FileChannel channel; // writer thread only, once open() has returned
  private volatile boolean failed;

  private Journal(Path file, Object ownerLock, List<String> replayed, FileChannel channel) {
    this.file = file;
    this.ownerLock = ownerLock;
    this.replayed = List.copyOf(replayed);
    this.channel = channel;
    this.lines.set(replayed.size());
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "schakel-state-" + file.getFileName());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens (or creates) {@code file} and reads its records. A last line without its newline is a
   * write torn by a crash: it was never acknowledged, so it is cut off. Blocking: call at start.
   */
  static Journal open(Path file, Object ownerLock) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    if (end < bytes.length) {
      log.warn("{}: cutting off a torn last record of {} bytes", file.getFileName(), bytes.length - end);
    }
    List<String> records = new ArrayList<>();
    for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        records.add(line);
      }
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.truncate(end);
    channel.position(end);
    channel.force(true);
    return new Journal(file, ownerLock, records, channel);
  }

  /** The records found at open, oldest first. */
  List<String> replayed() {
    return replayed;
  }

  /** The number of records in the file (including those queued), for the owner's compaction policy. */
  long lines() {
    return lines.get();
  }

  boolean writable() {
    return !failed;
  }

  /**
   * Queues one record; the future completes once it is durable. Requires the owner's lock held and
   * a record without line breaks.
   */
  CompletableFuture<Void> append(String record) {
    if (record.indexOf('\n') >= 0 || record.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a journal record must be one line");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (failed) {
      done.completeExceptionally(new IOException(file.getFileName() + " cannot be written since an earlier failure"));
      return done;
    }
    queue.add(new Pending((record + "\n").getBytes(StandardCharsets.UTF_8), done));
    lines.incrementAndGet();
    submit(this::drain, done);
    return done;
  }

  /**
   * Rewrites the file as exactly {@code live} (taken under the owner's lock on the writer thread),
   * dropping everything else. Records queued before the snapshot are part of it.
   */
  CompletableFuture<Void> compact(Supplier<List<String>> live) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    submit(() -> rewrite(live, done), done);
    return done;
  }

  private void submit(Runnable task, CompletableFuture<Void> done) {
    try {
      writer.execute(task);
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IOException(file.getFileName() + " is closed"));
    }
  }

  /** Writer thread: everything queued, one write, one fsync. */
  private void drain() {
    List<Pending> batch = new ArrayList<>();
    for (Pending p; (p = queue.poll()) != null; ) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    if (failed) {
      batch.forEach(p -> p.done.completeExceptionally(new IOException(file.getFileName() + " failed earlier")));
      return;
    }
    try {
      ByteBuffer buf = ByteBuffer.allocate(batch.stream().mapToInt(p -> p.line.length).sum());
      batch.forEach(p -> buf.put(p.line));
      buf.flip();
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    } catch (IOException | RuntimeException e) {
      failed = true;
      log.error("{}: append failed, admission state is read-only until restart: {}", file.getFileName(),
          e.getClass().getSimpleName());
      batch.forEach(p -> p.done.completeExceptionally(e));
      return;
    }
    batch.forEach(p -> p.done.complete(null));
  }

  /** Writer thread: snapshot under the owner's lock, write it beside the file, swap atomically. */
  private void rewrite(Supplier<List<String>> live, CompletableFuture<Void> done) {
    if (failed) {
      done.completeExceptionally(new IOException(file.getFileName() + " failed earlier"));
      return;
    }
    List<String> snapshot;
    List<Pending> covered = new ArrayList<>();
    synchronized (ownerLock) {
      snapshot = List.copyOf(live.get());
      for (Pending p; (p = queue.poll()) != null; ) {
        covered.add(p);
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(String.join("", snapshot.stream().map(s -> s + "\n").toList())
            .getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        out.force(true);
      }
      channel.close();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(file.toAbsolutePath().getParent());
      channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      lines.set(snapshot.size() + queue.size());
    } catch (IOException | RuntimeException e) {
      failed = true;
      log.error("{}: compaction failed, admission state is read-only until restart: {}", file.getFileName(),
          e.getClass().getSimpleName());
      covered.forEach(p -> p.done.completeExceptionally(e));
      done.completeExceptionally(e);
      return;
    }
    covered.forEach(p -> p.done.complete(null));
    done.complete(null);
  }

  /** A rename is durable only once its directory is (POSIX); some platforms cannot open one. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {}: {}", dir, e.getClass().getSimpleName());
    }
  }

  /** Waits for what was queued to be written, then releases the file. Idempotent. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("{}: writer did not finish in time", file.getFileName());
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("{}: close failed: {}", file.getFileName(), e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "Journal[" + file.getFileName() + ", " + lines.get() + " records" + (failed ? ", failed" : "") + "]";
  }
}
