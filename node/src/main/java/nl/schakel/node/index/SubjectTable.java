package nl.schakel.node.index;

/**
 * Subjects and their mentions, in parallel primitive arrays sorted by the pseudonym's 16-byte
 * prefix (two longs, compared unsigned). A directory indexed by the prefix's leading bits, about
 * one slot per subject, narrows a lookup to a bucket of about one subject: pseudonyms are keyed
 * hashes, so their leading bits are uniform and a lookup costs the same at a thousand subjects as
 * at ten million, a few cache misses.
 *
 * <p>Per subject: 16 bytes of prefix, 4 of mention offset, 4 to 8 of directory. Per mention: a
 * category code (2 bytes), the day (4) and the record key (4).
 */
final class SubjectTable {
  private final int shift;
  private final int[] directory;
  /** Per subject its prefix as two longs side by side (high at 2s, low at 2s+1): one cache line, not two. */
  private final long[] prefix;
  private final int[] mentionStart;
  private final char[] category;
  private final int[] day;
  private final int[] key;

  /**
   * Requires {@code prefix} to hold (high, low) pairs sorted unsigned and distinct, {@code
   * mentionStart} one more entry than there are subjects, ending at the number of mentions.
   */
  SubjectTable(long[] prefix, int[] mentionStart, char[] category, int[] day, int[] key) {
    this.prefix = prefix;
    this.mentionStart = mentionStart;
    this.category = category;
    this.day = day;
    this.key = key;
    int bits = RecordOrder.bucketBits(prefix.length / 2);
    this.shift = 64 - bits;
    this.directory = new int[(1 << bits) + 1];
    for (int s = 0; s < prefix.length; s += 2) {
      directory[(int) (prefix[s] >>> shift) + 1]++;
    }
    for (int b = 0; b < 1 << bits; b++) {
      directory[b + 1] += directory[b];
    }
  }

  int subjects() {
    return prefix.length / 2;
  }

  Matches tally(long prefixHigh, long prefixLow, boolean[] selected, int firstDay) {
    int s = find(prefixHigh, prefixLow);
    if (s < 0) {
      return Matches.NONE;
    }
    long n = 0;
    int cellKey = 0;
    for (int m = mentionStart[s], end = mentionStart[s + 1]; m < end; m++) {
      if (selected[category[m]] && day[m] >= firstDay) {
        n++;
        cellKey += key[m]; // wraps: the sum modulo 2^32 is the cell key
      }
    }
    return n == 0 ? Matches.NONE : new Matches(n, cellKey);
  }

  /** The subject's position, or -1; binary search within the directory's bucket. */
  private int find(long prefixHigh, long prefixLow) {
    int b = (int) (prefixHigh >>> shift);
    int from = directory[b];
    int to = directory[b + 1] - 1;
    while (from <= to) {
      int mid = (from + to) >>> 1;
      int c = Long.compareUnsigned(prefix[2 * mid], prefixHigh);
      if (c == 0) {
        c = Long.compareUnsigned(prefix[2 * mid + 1], prefixLow);
      }
      if (c < 0) {
        from = mid + 1;
      } else if (c > 0) {
        to = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  long footprintBytes() {
    return Footprint.of(directory) + Footprint.of(prefix) + Footprint.of(mentionStart)
        + Footprint.of(category) + Footprint.of(day) + Footprint.of(key);
  }
}
