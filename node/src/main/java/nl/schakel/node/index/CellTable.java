package nl.schakel.node.index;

/**
 * Open-addressing map from a packed (area, category, day) cell to its record count and key sum,
 * over primitive arrays: ten million records add up to thirty million increments, which boxed
 * map entries could not hold in a few gigabytes. A slot is empty while its count is 0.
 */
final class CellTable {
  private long[] cells;
  private int[] counts;
  private int[] keySums;
  private int size;
  private int mask;

  CellTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
    allocate(Math.min(capacity, 1 << 30));
  }

  void add(long cell, int key) {
    int slot = slot(cell);
    if (counts[slot] == 0) {
      if (size + 1 > (mask + 1) / 4 * 3) {
        grow();
        slot = slot(cell);
      }
      cells[slot] = cell;
      size++;
    }
    counts[slot]++;
    keySums[slot] += key; // wraps: the sum modulo 2^32 is the cell key
  }

  int size() {
    return size;
  }

  /** The cells held, unordered. */
  long[] cells() {
    long[] out = new long[size];
    int k = 0;
    for (int s = 0; s <= mask; s++) {
      if (counts[s] != 0) {
        out[k++] = cells[s];
      }
    }
    return out;
  }

  /** Requires {@code cell} to be held. */
  int count(long cell) {
    return counts[slot(cell)];
  }

  /** Requires {@code cell} to be held. */
  int keySum(long cell) {
    return keySums[slot(cell)];
  }

  /** The slot holding {@code cell}, or the empty slot where it belongs. */
  private int slot(long cell) {
    int s = (int) mix(cell) & mask;
    while (counts[s] != 0 && cells[s] != cell) {
      s = (s + 1) & mask;
    }
    return s;
  }

  private void grow() {
    long[] oldCells = cells;
    int[] oldCounts = counts;
    int[] oldKeys = keySums;
    if (oldCells.length >= 1 << 30) {
      throw new IllegalStateException("area table full: expected at most " + (1 << 29) + " area cells");
    }
    allocate(oldCells.length * 2);
    for (int s = 0; s < oldCells.length; s++) {
      if (oldCounts[s] != 0) {
        int t = slot(oldCells[s]);
        cells[t] = oldCells[s];
        counts[t] = oldCounts[s];
        keySums[t] = oldKeys[s];
      }
    }
  }

  private void allocate(int capacity) {
    cells = new long[capacity];
    counts = new int[capacity];
    keySums = new int[capacity];
    mask = capacity - 1;
  }

  /** Stafford's variant 13 finaliser: packed cells differ in few bits, the slot must not. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
