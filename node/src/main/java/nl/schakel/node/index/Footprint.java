package nl.schakel.node.index;

/** Heap bytes of primitive arrays on a 64-bit JVM with compressed oops: a 16-byte header. */
final class Footprint {
  private static final long HEADER = 16;

  private Footprint() {}

  static long of(long[] a) {
    return HEADER + 8L * a.length;
  }

  static long of(int[] a) {
    return HEADER + 4L * a.length;
  }

  static long of(char[] a) {
    return HEADER + 2L * a.length;
  }
}
