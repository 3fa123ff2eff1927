package nl.schakel.audit;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only, verifiable log of opaque entries (ARCHITECTURE principle 5: nothing is asked or
 * answered that is not logged).
 *
 * <p>Only durable entries are visible: {@link #size()}, {@link #entry}, roots and proofs cover
 * exactly the entries whose append has completed, never one still in flight. All methods are safe
 * to call from any thread.
 */
public interface AuditLog extends AutoCloseable {

  /** The largest entry accepted, 1 MiB. */
  int MAX_ENTRY_BYTES = 1 << 20;

  /**
   * Appends a copy of {@code entry}. Never blocks the calling thread. The future completes only
   * after the entry is durably stored (fsync), and fails with {@link AuditLogException} when the
   * log cannot store it (I/O failure, closed, queue full) or with {@link IllegalArgumentException}
   * when the entry exceeds {@link #MAX_ENTRY_BYTES}; then it is not stored. Requires a non-null
   * entry of at most {@link #MAX_ENTRY_BYTES} bytes.
   *
   * <p>Do not block on the future in a thread that appends must wait for; compose instead.
   */
  CompletableFuture<AppendResult> append(byte[] entry);

  /** Returns the number of durable entries. */
  long size();

  /** Returns the exact bytes appended as entry {@code index}. Requires 0 <= index < size(). */
  byte[] entry(long index);

  /**
   * Returns the RFC 9162 audit path of entry {@code index} in the tree of size {@code treeSize}.
   * Requires 0 <= index < treeSize <= size().
   */
  List<byte[]> inclusionProof(long index, long treeSize);

  /**
   * Returns the RFC 9162 consistency proof from tree size {@code first} to {@code second}, empty
   * when they are equal. Requires 0 < first <= second <= size().
   */
  List<byte[]> consistencyProof(long first, long second);

  /** Returns the root hash of the tree of size {@code treeSize}. Requires 0 <= treeSize <= size(). */
  byte[] root(long treeSize);

  /**
   * Returns the latest C2SP signed checkpoint (see {@link CheckpointSigner}), covering durable
   * entries only; empty when this log signs no checkpoints. Successive checkpoints of one log only
   * grow and are consistent with each other.
   */
  default Optional<String> checkpoint() {
    return Optional.empty();
  }

  /**
   * Returns whether appends can currently succeed: false after an I/O failure or {@link #close()}.
   * Meant for readiness checks (a gateway that cannot log must not ask anyone).
   */
  boolean writable();

  /**
   * Stops accepting appends, waits until those already accepted are durable (or failed), and
   * releases the storage. Idempotent.
   */
  @Override
  void close();
}
