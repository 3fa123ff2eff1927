package nl.schakel.node.index;

/**
 * Sorts record numbers by (pseudonym, form, category, day, area) over the builder's columns,
 * without boxing. Pseudonyms are keyed-hash output, so their leading bits are uniform: one
 * counting pass by the leading bits leaves buckets of a few records each (usually one subject's),
 * which insertion sort finishes. A bucket that is large anyway (a subject with thousands of
 * records) falls back to merge sort, so no input is quadratic.
 */
final class RecordOrder {
  private static final int MAX_BUCKET_BITS = 24;
  private static final int INSERTION_LIMIT = 24;

  private final long[] p0;
  private final long[] p1;
  private final long[] p2;
  private final long[] p3;
  private final byte[] form;
  private final char[] category;
  private final int[] day;
  private final int[] area;

  RecordOrder(long[] p0, long[] p1, long[] p2, long[] p3, byte[] form, char[] category, int[] day, int[] area) {
    this.p0 = p0;
    this.p1 = p1;
    this.p2 = p2;
    this.p3 = p3;
    this.form = form;
    this.category = category;
    this.day = day;
    this.area = area;
  }

  /** Record numbers 0 .. n-1 in sorted order. */
  int[] sort(int n) {
    int bits = bucketBits(n);
    int shift = 64 - bits;
    int[] start = new int[(1 << bits) + 1];
    for (int i = 0; i < n; i++) {
      start[(int) (p0[i] >>> shift) + 1]++;
    }
    for (int b = 0; b < 1 << bits; b++) {
      start[b + 1] += start[b];
    }
    int[] order = new int[n];
    int[] next = start.clone();
    for (int i = 0; i < n; i++) {
      order[next[(int) (p0[i] >>> shift)]++] = i;
    }
    next = null;
    int[] scratch = null;
    for (int b = 0; b < 1 << bits; b++) {
      int from = start[b];
      int to = start[b + 1];
      if (to - from <= INSERTION_LIMIT) {
        insertionSort(order, from, to);
      } else {
        if (scratch == null || scratch.length < to - from) {
          scratch = new int[to - from];
        }
        mergeSort(order, from, to, scratch);
      }
    }
    return order;
  }

  /** About one bucket per record, at least 2 buckets, at most 2^24 (64 MB of counters). */
  static int bucketBits(int n) {
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
    return Math.max(1, Math.min(MAX_BUCKET_BITS, bits));
  }

  int compare(int a, int b) {
    int c = Long.compareUnsigned(p0[a], p0[b]);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(p1[a], p1[b]);
    if (c != 0) {
      return c;
    }
    return compareAfterPrefix(a, b);
  }

  /** Compares what follows the 16-byte prefix; 0 means the records are identical. */
  int compareAfterPrefix(int a, int b) {
    int c = Long.compareUnsigned(p2[a], p2[b]);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(p3[a], p3[b]);
    if (c != 0) {
      return c;
    }
    c = Byte.compare(form[a], form[b]);
    if (c != 0) {
      return c;
    }
    c = Character.compare(category[a], category[b]);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(day[a], day[b]);
    if (c != 0) {
      return c;
    }
    return Integer.compare(area[a], area[b]);
  }

  boolean samePrefix(int a, int b) {
    return p0[a] == p0[b] && p1[a] == p1[b];
  }

  private void insertionSort(int[] order, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      int x = order[i];
      int j = i - 1;
      while (j >= from && compare(order[j], x) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
  }

  /** Top-down merge sort of order[from, to); scratch holds at least to - from entries. */
  private void mergeSort(int[] order, int from, int to, int[] scratch) {
    if (to - from <= INSERTION_LIMIT) {
      insertionSort(order, from, to);
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(order, from, mid, scratch);
    mergeSort(order, mid, to, scratch);
    if (compare(order[mid - 1], order[mid]) <= 0) {
      return;
    }
    int left = mid - from;
    System.arraycopy(order, from, scratch, 0, left);
    int i = 0;
    int j = mid;
    int k = from;
    while (i < left && j < to) {
      order[k++] = compare(scratch[i], order[j]) <= 0 ? scratch[i++] : order[j++];
    }
    while (i < left) {
      order[k++] = scratch[i++];
    }
  }
}
