package nl.schakel.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * MTH of RFC 9162 section 2.1.1 written as literally as possible, over a plain list: slow, and
 * obviously right, to check {@link MerkleTree}'s stored levels and compact range against.
 */
final class ReferenceTree {

  private ReferenceTree() {}

  static byte[] mth(List<byte[]> leafHashes) {
    int n = leafHashes.size();
    if (n == 0) {
      return MerkleHash.emptyRoot();
    }
    if (n == 1) {
      return leafHashes.get(0);
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return MerkleHash.nodeHash(mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k, n)));
  }

  /** Leaf hashes of {@code count} random entries of 0 to 99 bytes, reproducible from the seed. */
  static List<byte[]> randomLeafHashes(long seed, int count) {
    Random random = new Random(seed);
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] entry = new byte[random.nextInt(100)];
      random.nextBytes(entry);
      hashes.add(MerkleHash.leafHash(entry));
    }
    return hashes;
  }

  static MerkleTree treeOf(List<byte[]> leafHashes) {
    MerkleTree tree = new MerkleTree();
    leafHashes.forEach(tree::append);
    return tree;
  }
}
