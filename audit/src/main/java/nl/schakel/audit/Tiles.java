package nl.schakel.audit;

/**
 * C2SP tlog-tiles (c2sp.org/tlog-tiles): the log's hashes cut into static tiles of height 8, so
 * that a static file server or CDN can serve everything a verifier needs.
 *
 * <p>The tile at level {@code L}, index {@code N} holds the hashes of the Merkle tree nodes at tree
 * level {@code 8L} with node indices {@code 256N .. 256N + W - 1}, concatenated (32 bytes each):
 * at level 0 the leaf hashes, at level 1 the roots of 256-leaf subtrees, and so on. A full tile
 * has {@code W = 256}; the rightmost tile of a level may be partial, {@code 1 <= W < 256}. A tile
 * never changes once published: a partial one is superseded by a wider one under another path.
 *
 * <p>Paths: {@code tile/<L>/<N>[.p/<W>]}, where {@code N} is written in groups of three digits,
 * zero-padded, all but the last prefixed with {@code x} (1234067 is {@code x001/x234/067}), and
 * {@code .p/<W>} is present only for partial tiles. Entry bundles use {@code tile/entries/<N>}.
 */
public final class Tiles {

  /** Levels of the Merkle tree one tile spans. */
  public static final int HEIGHT = 8;

  /** Hashes in a full tile, 2^{@link #HEIGHT}. */
  public static final int WIDTH = 1 << HEIGHT;

  /** Highest tile level the spec allows. */
  public static final int MAX_LEVEL = 63;

  private Tiles() {}

  /** Returns the path of a hash tile. Requires 0 <= level <= 63, index >= 0, 1 <= width <= 256. */
  public static String path(int level, long index, int width) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("expected tile level 0.." + MAX_LEVEL + ", found " + level);
    }
    return "tile/" + level + "/" + indexPath(index) + widthSuffix(width);
  }

  /** Returns the path of an entry bundle. Requires index >= 0 and 1 <= width <= 256. */
  public static String entriesPath(long index, int width) {
    return "tile/entries/" + indexPath(index) + widthSuffix(width);
  }

  /**
   * Returns the width of the rightmost, partial tile at {@code level} of a tree of {@code
   * treeSize} leaves: floor(treeSize / 256^level) mod 256, 0 when that level has no partial tile.
   */
  public static int partialWidth(int level, long treeSize) {
    requireLevel(level);
    long nodes = level * HEIGHT >= 64 ? 0 : treeSize >>> (level * HEIGHT);
    return (int) (nodes % WIDTH);
  }

  /**
   * Returns the tile's content: {@code width} 32-byte node hashes of {@code tree}, concatenated.
   * Requires the tile to lie within the tree: (256 * index + width) * 256^level <= size.
   */
  public static byte[] tile(MerkleTree tree, int level, long index, int width) {
    requireLevel(level);
    requireWidth(width);
    if (index < 0) {
      throw new IllegalArgumentException("expected tile index >= 0, found " + index);
    }
    int treeLevel = level * HEIGHT;
    long nodesOnLevel = treeLevel >= 63 ? 0 : tree.size() >>> treeLevel;
    // Compared by division so that no product can overflow.
    if (nodesOnLevel < width || index > (nodesOnLevel - width) / WIDTH) {
      throw new IllegalArgumentException(
          "tile "
              + path(level, index, width)
              + " lies beyond the tree of size "
              + tree.size()
              + ", which has "
              + nodesOnLevel
              + " complete nodes on tree level "
              + treeLevel);
    }
    byte[] tile = new byte[width * MerkleHash.HASH_BYTES];
    long first = index * WIDTH;
    for (int i = 0; i < width; i++) {
      System.arraycopy(
          tree.nodeHash(treeLevel, first + i), 0, tile, i * MerkleHash.HASH_BYTES, MerkleHash.HASH_BYTES);
    }
    return tile;
  }

  private static String indexPath(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("expected tile index >= 0, found " + index);
    }
    StringBuilder path = new StringBuilder(String.format("%03d", index % 1000));
    for (long rest = index / 1000; rest > 0; rest /= 1000) {
      path.insert(0, String.format("x%03d/", rest % 1000));
    }
    return path.toString();
  }

  private static String widthSuffix(int width) {
    requireWidth(width);
    return width == WIDTH ? "" : ".p/" + width;
  }

  private static void requireWidth(int width) {
    if (width < 1 || width > WIDTH) {
      throw new IllegalArgumentException("expected tile width 1.." + WIDTH + ", found " + width);
    }
  }

  private static void requireLevel(int level) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("expected tile level 0.." + MAX_LEVEL + ", found " + level);
    }
  }
}
