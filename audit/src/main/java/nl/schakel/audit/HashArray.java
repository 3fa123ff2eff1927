package nl.schakel.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only sequence of 32-byte hashes packed into 1 MiB pages.
 *
 * <p>Why not {@code List<byte[]>}: each small array costs a 16-byte header and a reference on top
 * of its 32 bytes, and millions of them slow every garbage collection. Pages cost nothing per hash.
 * Not thread-safe; the owner synchronizes.
 */
final class HashArray {

  private static final int HASHES_PER_PAGE = 1 << 15;
  private static final int PAGE_BYTES = HASHES_PER_PAGE * MerkleHash.HASH_BYTES;

  private final List<byte[]> pages = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  /** Appends a copy of {@code hash}. Requires a 32-byte hash. */
  void add(byte[] hash) {
    MerkleHash.requireHash("stored", hash);
    int slot = (int) (size % HASHES_PER_PAGE);
    if (slot == 0) {
      pages.add(new byte[PAGE_BYTES]);
    }
    System.arraycopy(
        hash, 0, pages.get(pages.size() - 1), slot * MerkleHash.HASH_BYTES, MerkleHash.HASH_BYTES);
    size++;
  }

  /** Returns a copy of the hash at {@code index}. Requires 0 <= index < size(). */
  byte[] get(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(
          "hash index " + index + " is out of range, expected 0 <= index < " + size);
    }
    byte[] page = pages.get((int) (index / HASHES_PER_PAGE));
    int from = (int) (index % HASHES_PER_PAGE) * MerkleHash.HASH_BYTES;
    byte[] hash = new byte[MerkleHash.HASH_BYTES];
    System.arraycopy(page, from, hash, 0, MerkleHash.HASH_BYTES);
    return hash;
  }
}
