package nl.schakel.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree over a log's leaf hashes, as defined by RFC 9162 section 2.1.
 *
 * <p>Appending is O(log n): a compact range (one hash per perfect subtree of the current size,
 * largest first) is merged like a binary counter. Every complete subtree hash on levels 0, 4, 8,
 * ... is kept; a node on a level in between is recomputed from the stored level below it (at most
 * seven hashes). So roots at any earlier size and both kinds of proof cost O(log n) hashes, and
 * memory is about 1.07 times that of the leaf hashes alone (32 bytes per entry). The stored levels
 * are also what tiles (C2SP tlog-tiles) will be cut from.
 *
 * <p>Proofs are produced by the recursive definitions of RFC 9162 sections 2.1.3.1 and 2.1.4.1;
 * {@link ProofVerifier} checks them with the iterative algorithms of sections 2.1.3.2 and 2.1.4.2,
 * so a bug in one is not mirrored in the other.
 *
 * <p>Not thread-safe: callers that share a tree between threads synchronize on their own.
 */
public final class MerkleTree {

  // Every 4th level is stored: a trade between memory (1/16 + 1/256 + ... extra) and the hashes
  // needed to rebuild a missing node (2^3 - 1 = 7 at most).
  private static final int STORED_LEVEL_STRIDE = 4;

  private final List<HashArray> storedLevels = new ArrayList<>();
  private final List<byte[]> compactRange = new ArrayList<>();
  private long size;

  /** Creates an empty tree. */
  public MerkleTree() {
    storedLevels.add(new HashArray());
  }

  /** Returns the number of leaves. */
  public long size() {
    return size;
  }

  /** Appends one leaf. Requires a 32-byte leaf hash, as made by {@link MerkleHash#leafHash}. */
  public void append(byte[] leafHash) {
    MerkleHash.requireHash("leaf", leafHash);
    storedLevels.get(0).add(leafHash);
    byte[] carry = leafHash.clone();
    int level = 0;
    // The new leaf completes one subtree per trailing 1-bit of the old size, as in binary +1.
    for (long bits = size; (bits & 1) == 1; bits >>>= 1) {
      byte[] left = compactRange.remove(compactRange.size() - 1);
      carry = MerkleHash.nodeHash(left, carry);
      level++;
      if (level % STORED_LEVEL_STRIDE == 0) {
        storedLevel(level / STORED_LEVEL_STRIDE).add(carry);
      }
    }
    compactRange.add(carry);
    size++;
  }

  /** Returns the leaf hash at {@code index}. Requires 0 <= index < size(). */
  public byte[] leafHash(long index) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "expected 0 <= index < size (" + size + "), found index " + index);
    }
    return storedLevels.get(0).get(index);
  }

  /**
   * Returns the hash of the complete subtree at {@code level} (0 = leaves) with {@code index} on
   * that level, i.e. over leaves [index * 2^level, (index + 1) * 2^level): what tiles are made of.
   * Requires 0 <= level < 63, index >= 0, and the subtree to lie within size().
   */
  public byte[] nodeHash(int level, long index) {
    if (level < 0 || level >= 63 || index < 0 || index >= (size >>> level)) {
      throw new IllegalArgumentException(
          "expected a complete subtree within size "
              + size
              + ", found level "
              + level
              + " index "
              + index);
    }
    return nodeAt(level, index);
  }

  /** Returns the root hash of all leaves: MTH(D[size]) of RFC 9162 section 2.1.1. */
  public byte[] root() {
    if (compactRange.isEmpty()) {
      return MerkleHash.emptyRoot();
    }
    byte[] root = compactRange.get(compactRange.size() - 1).clone();
    for (int i = compactRange.size() - 2; i >= 0; i--) {
      root = MerkleHash.nodeHash(compactRange.get(i), root);
    }
    return root;
  }

  /** Returns the root hash of the first {@code treeSize} leaves. Requires 0 <= treeSize <= size(). */
  public byte[] root(long treeSize) {
    requireTreeSize(treeSize);
    if (treeSize == 0) {
      return MerkleHash.emptyRoot();
    }
    if (treeSize == size) {
      return root();
    }
    return subtreeHash(0, treeSize);
  }

  /**
   * Returns the audit path of RFC 9162 section 2.1.3.1 for leaf {@code index} in the tree of the
   * first {@code treeSize} leaves, lowest level first. Requires 0 <= index < treeSize <= size().
   */
  public List<byte[]> inclusionProof(long index, long treeSize) {
    requireTreeSize(treeSize);
    if (index < 0 || index >= treeSize) {
      throw new IllegalArgumentException(
          "expected 0 <= index < treeSize (" + treeSize + "), found index " + index);
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, treeSize, proof);
    return List.copyOf(proof);
  }

  /**
   * Returns the consistency proof of RFC 9162 section 2.1.4.1 from the tree of the first {@code
   * first} leaves to that of the first {@code second}; empty when they are equal. Requires 0 <
   * first <= second <= size().
   */
  public List<byte[]> consistencyProof(long first, long second) {
    requireTreeSize(second);
    if (first <= 0 || first > second) {
      throw new IllegalArgumentException(
          "expected 0 < first <= second (" + second + "), found first " + first);
    }
    List<byte[]> proof = new ArrayList<>();
    subproof(first, 0, second, true, proof);
    return List.copyOf(proof);
  }

  // PATH(m, D[start:end]) of RFC 9162 section 2.1.3.1, with m relative to start.
  private void path(long m, long start, long end, List<byte[]> proof) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, start, start + k, proof);
      proof.add(subtreeHash(start + k, end));
    } else {
      path(m - k, start + k, end, proof);
      proof.add(subtreeHash(start, start + k));
    }
  }

  // SUBPROOF(m, D[start:end], b) of RFC 9162 section 2.1.4.1, with m relative to start.
  private void subproof(long m, long start, long end, boolean b, List<byte[]> proof) {
    long n = end - start;
    if (m == n) {
      // The old tree is this very subtree: its root is known to the verifier only when b holds.
      if (!b) {
        proof.add(subtreeHash(start, end));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, start, start + k, b, proof);
      proof.add(subtreeHash(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, proof);
      proof.add(subtreeHash(start, start + k));
    }
  }

  // MTH(D[start:end]) of RFC 9162 section 2.1.1, from stored nodes where the range is a complete,
  // aligned subtree.
  private byte[] subtreeHash(long start, long end) {
    long n = end - start;
    if (Long.bitCount(n) == 1 && start % n == 0) {
      return nodeAt(Long.numberOfTrailingZeros(n), start / n);
    }
    long k = largestPowerOfTwoBelow(n);
    return MerkleHash.nodeHash(subtreeHash(start, start + k), subtreeHash(start + k, end));
  }

  // The root of the complete subtree holding leaves [index * 2^level, (index + 1) * 2^level).
  private byte[] nodeAt(int level, long index) {
    if (level % STORED_LEVEL_STRIDE == 0) {
      return storedLevels.get(level / STORED_LEVEL_STRIDE).get(index);
    }
    return MerkleHash.nodeHash(nodeAt(level - 1, 2 * index), nodeAt(level - 1, 2 * index + 1));
  }

  private HashArray storedLevel(int i) {
    while (storedLevels.size() <= i) {
      storedLevels.add(new HashArray());
    }
    return storedLevels.get(i);
  }

  private void requireTreeSize(long treeSize) {
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException(
          "expected 0 <= treeSize <= size (" + size + "), found treeSize " + treeSize);
    }
  }

  // The k of RFC 9162 section 2.1.1: the largest power of two smaller than n. Requires n > 1.
  private static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
