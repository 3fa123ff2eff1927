package nl.schakel.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers enqueue appends without blocking; one writer thread takes everything
 * queued (up to a batch limit), has it written and fsynced once, and then completes each caller's
 * future. One fsync costs about as much for a hundred entries as for one, so under load the log
 * keeps up with many callers at the price of a single disk flush per batch.
 *
 * <p>Fail-closed: the first failure of a batch, of any kind, stops the log for good. That batch,
 * everything queued behind it and every later append fail; nothing is retried, because after a
 * failed fsync nobody knows what reached the disk (the kernel may already have dropped the dirty
 * pages). Reopening the directory runs recovery and gives a fresh start.
 */
final class GroupCommitter {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  /** Writes a batch durably and returns one result per append, in order; writer thread only. */
  @FunctionalInterface
  interface BatchWriter {
    List<AppendResult> write(List<PendingAppend> batch) throws Exception;
  }

  /** One queued append; {@code entry} is the caller's copy, {@code leafHash} its RFC 9162 hash. */
  record PendingAppend(byte[] entry, byte[] leafHash, CompletableFuture<AppendResult> result) {}

  private final BatchWriter writer;
  private final int maxBatchEntries;
  private final int maxPendingAppends;
  private final Executor completions;
  private final BlockingQueue<PendingAppend> queue;
  private final Thread thread;
  // Enqueued after the last append, so the writer knows it has drained everything.
  private final PendingAppend stop =
      new PendingAppend(new byte[0], new byte[0], new CompletableFuture<>());

  // Appends hold the read lock while they check and enqueue, close takes the write lock: so no
  // append can slip into the queue behind the stop marker and wait forever.
  private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private volatile Throwable failure;

  GroupCommitter(
      BatchWriter writer,
      int maxBatchEntries,
      int maxPendingAppends,
      Executor completions,
      String threadName) {
    this.writer = writer;
    this.maxBatchEntries = maxBatchEntries;
    this.maxPendingAppends = maxPendingAppends;
    this.completions = completions;
    this.queue = new LinkedBlockingQueue<>(maxPendingAppends);
    this.thread = new Thread(this::run, threadName);
    // A daemon: an application that forgets close() can still exit, losing only appends that
    // were never acknowledged.
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Enqueues an append; the future completes after its batch is durable. Never blocks. */
  CompletableFuture<AppendResult> submit(byte[] entry, byte[] leafHash) {
    CompletableFuture<AppendResult> result = new CompletableFuture<>();
    admission.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new AuditLogException("audit log is closed"));
      }
      Throwable cause = failure;
      if (cause != null) {
        return CompletableFuture.failedFuture(stopped(cause));
      }
      if (!queue.offer(new PendingAppend(entry, leafHash, result))) {
        return CompletableFuture.failedFuture(
            new AuditLogException(
                "audit log has "
                    + maxPendingAppends
                    + " appends waiting for the disk, expected fewer; refusing rather than"
                    + " queueing without bound"));
      }
    } finally {
      admission.readLock().unlock();
    }
    return result;
  }

  /** Returns whether appends can succeed: not closed and no failure so far. */
  boolean accepting() {
    return !closed && failure == null;
  }

  /** Stops admission, lets the writer finish everything already queued, and waits for it. */
  void close() {
    boolean first;
    admission.writeLock().lock();
    try {
      first = !closed;
      closed = true;
    } finally {
      admission.writeLock().unlock();
    }
    boolean interrupted = false;
    // Nothing can be enqueued after this point, so the marker ends up last.
    while (first) {
      try {
        queue.put(stop); // waits while the queue is full: the writer is draining it
        first = false;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<PendingAppend> batch = new ArrayList<>(maxBatchEntries);
    boolean stopping = false;
    while (!stopping) {
      batch.add(take());
      queue.drainTo(batch, maxBatchEntries - 1);
      if (batch.get(batch.size() - 1) == stop) {
        batch.remove(batch.size() - 1);
        stopping = true;
      }
      if (!batch.isEmpty()) {
        commit(List.copyOf(batch));
      }
      batch.clear();
    }
  }

  private void commit(List<PendingAppend> batch) {
    Throwable cause = failure;
    if (cause != null) {
      completeLater(batch, () -> failAll(batch, stopped(cause)));
      return;
    }
    List<AppendResult> results;
    try {
      results = writer.write(batch);
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "batch writer returned " + results.size() + " results, expected " + batch.size());
      }
    } catch (Throwable t) { // any failure at all: stop rather than guess what was stored
      failure = t;
      LOG.error("audit log stopped accepting appends: a batch of {} failed", batch.size(), t);
      completeLater(batch, () -> failAll(batch, stopped(t)));
      return;
    }
    completeLater(
        batch,
        () -> {
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
          }
        });
  }

  // Callers' continuations run on the completion executor, never on the writer thread: a caller
  // that blocks there (say, joining its next append) would otherwise stall every append.
  private void completeLater(List<PendingAppend> batch, Runnable completion) {
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  private static void failAll(List<PendingAppend> batch, Throwable cause) {
    for (PendingAppend append : batch) {
      append.result().completeExceptionally(cause);
    }
  }

  private static AuditLogException stopped(Throwable cause) {
    return new AuditLogException(
        "audit log stopped accepting appends after a storage failure ("
            + cause
            + "); reopen it to recover",
        cause);
  }

  private PendingAppend take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Only close() ends this thread, via the stop marker; nobody else has a reason to interrupt it.
      }
    }
  }
}
