package nl.schakel.bench.synthetic;

/**
 * A SplitMix64 stream that can be repositioned to any key in O(1). Every record is derived from
 * its own key (seed, party, index), so files stream in constant memory and any record can be
 * recomputed without generating the ones before it. Not thread-safe; one per writer.
 */
final class Draws {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long state;

  /** Restarts the stream at {@code key}. */
  void reset(long key) {
    state = key;
  }

  long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, bound); requires 0 < bound < 2^31. */
  int below(int bound) {
    // Lemire's multiply-shift on 31 random bits; the bias is below 2^-31 per draw.
    return (int) (((nextLong() >>> 33) * bound) >>> 31);
  }

  /** Uniform in [0, 1). */
  double unit() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Stafford's variant 13 of the MurmurHash3 finaliser, as in SplittableRandom. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A key for a tuple of longs; order matters. */
  static long key(long a, long b) {
    return mix(a ^ mix(b + GOLDEN_GAMMA));
  }

  static long key(long a, long b, long c) {
    return key(key(a, b), c);
  }

  /** A stable 64-bit key for a name; {@link String#hashCode()} is fixed by the JLS. */
  static long key(String name) {
    return mix(name.hashCode() * 0x9e3779b97f4a7c15L + name.length());
  }
}
