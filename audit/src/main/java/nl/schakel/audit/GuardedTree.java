package nl.schakel.audit;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A {@link MerkleTree} shared by one writer and many readers, as every store keeps it: readers see
 * a batch of leaves wholly or not at all, and never block each other.
 */
final class GuardedTree {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final MerkleTree tree;

  GuardedTree(MerkleTree tree) {
    this.tree = tree;
  }

  /** Runs {@code reader} under the read lock. {@code reader} must not keep the tree. */
  <T> T read(Function<MerkleTree, T> reader) {
    lock.readLock().lock();
    try {
      return reader.apply(tree);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code writer} under the write lock: what it appends becomes visible at once, or not at all. */
  <T> T write(Function<MerkleTree, T> writer) {
    lock.writeLock().lock();
    try {
      return writer.apply(tree);
    } finally {
      lock.writeLock().unlock();
    }
  }
}
