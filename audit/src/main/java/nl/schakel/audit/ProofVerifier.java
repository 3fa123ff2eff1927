package nl.schakel.audit;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks inclusion and consistency proofs against roots, step by step as RFC 9162 sections 2.1.3.2
 * and 2.1.4.2 describe them.
 *
 * <p>Auditors run this against a log they do not trust, so it shares no code with {@link
 * MerkleTree} beyond {@link MerkleHash}: the tree builds proofs with the recursive definitions of
 * the RFC, this class checks them with its iterative walk over the bits of the leaf index ({@code
 * fn}) and the last index ({@code sn}). Every failure, including malformed input, is a {@link
 * ProofException}, so a hostile proof cannot crash a verifier with some other exception.
 */
public final class ProofVerifier {

  private static final HexFormat HEX = HexFormat.of();

  private ProofVerifier() {}

  /**
   * Checks that {@code leafHash} is leaf {@code index} of the tree of size {@code treeSize} with
   * the given {@code root}; throws {@link ProofException} otherwise. Requires 0 <= index <
   * treeSize.
   */
  public static void verifyInclusion(
      byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
    requireHash("leaf", leafHash);
    requireHash("root", root);
    requireProofHashes(proof);
    if (index < 0 || index >= treeSize) {
      throw new ProofException(
          "expected 0 <= index < treeSize (" + treeSize + "), found index " + index);
    }
    int expectedLength = pathLength(index, treeSize - 1);
    if (proof.size() != expectedLength) {
      throw new ProofException(
          "wrong inclusion proof size "
              + proof.size()
              + ", expected "
              + expectedLength
              + " for index "
              + index
              + " in a tree of size "
              + treeSize);
    }
    byte[] calculated = rootFromInclusionPath(leafHash, index, treeSize - 1, proof);
    requireMatch("root of tree size " + treeSize, calculated, root);
  }

  /**
   * Checks that the tree of size {@code first} with {@code firstRoot} is a prefix of the tree of
   * size {@code second} with {@code secondRoot}; throws {@link ProofException} otherwise. Requires
   * 0 < first <= second; for first == second the proof must be empty and the roots equal.
   */
  public static void verifyConsistency(
      long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
    requireHash("first root", firstRoot);
    requireHash("second root", secondRoot);
    requireProofHashes(proof);
    if (first <= 0 || first > second) {
      throw new ProofException(
          "expected 0 < first <= second, found first " + first + " and second " + second);
    }
    if (first == second) {
      if (!proof.isEmpty()) {
        throw new ProofException(
            "wrong consistency proof size " + proof.size() + ", expected 0 for equal tree sizes");
      }
      requireMatch("root of tree size " + second, firstRoot, secondRoot);
      return;
    }

    // Step 2: a first tree of size 2^k is a single subtree of the second, whose hash the verifier
    // already holds, so the log leaves it out of the proof.
    boolean firstIsSubtree = Long.bitCount(first) == 1;
    // Steps 3 and 4: skip the levels where the first tree's last subtree is complete.
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    int expectedLength = (firstIsSubtree ? 0 : 1) + pathLength(fn, sn);
    if (proof.size() != expectedLength) {
      throw new ProofException(
          "wrong consistency proof size "
              + proof.size()
              + ", expected "
              + expectedLength
              + " from tree size "
              + first
              + " to "
              + second);
    }
    byte[] seed = firstIsSubtree ? firstRoot : proof.get(0);
    List<byte[]> path = firstIsSubtree ? proof : proof.subList(1, proof.size());
    byte[][] roots = rootsFromConsistencyPath(seed, fn, sn, path);
    requireMatch("root of tree size " + first, roots[0], firstRoot);
    requireMatch("root of tree size " + second, roots[1], secondRoot);
  }

  // RFC 9162 section 2.1.3.2 step 4: fold the audit path into a root, taking each sibling from
  // the left when the path turns right (LSB(fn) set) or runs along the right border (fn == sn).
  private static byte[] rootFromInclusionPath(byte[] leafHash, long fn, long sn, List<byte[]> path) {
    byte[] r = leafHash;
    for (byte[] p : path) {
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = MerkleHash.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return r;
  }

  // RFC 9162 section 2.1.4.2 step 6: one walk computes both roots. Left siblings are in both trees;
  // right siblings only in the second, which grew to the right.
  private static byte[][] rootsFromConsistencyPath(
      byte[] seed, long fn, long sn, List<byte[]> path) {
    byte[] fr = seed;
    byte[] sr = seed;
    for (byte[] c : path) {
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.nodeHash(c, fr);
        sr = MerkleHash.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = MerkleHash.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return new byte[][] {fr, sr};
  }

  // The number of steps the walk above takes from (fn, sn) until sn reaches 0; a path of any other
  // length fails the RFC's "sn is 0" checks, and counting first lets the error say what was
  // expected.
  private static int pathLength(long fn, long sn) {
    int length = 0;
    while (sn != 0) {
      if ((fn & 1) == 0 && fn == sn) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
      fn >>>= 1;
      sn >>>= 1;
      length++;
    }
    return length;
  }

  private static void requireProofHashes(List<byte[]> proof) {
    for (int i = 0; i < proof.size(); i++) {
      if (proof.get(i).length != MerkleHash.HASH_BYTES) {
        throw new ProofException(
            "proof["
                + i
                + "] has "
                + proof.get(i).length
                + " bytes, expected "
                + MerkleHash.HASH_BYTES);
      }
    }
  }

  private static void requireHash(String what, byte[] hash) {
    if (hash.length != MerkleHash.HASH_BYTES) {
      throw new ProofException(
          what + " hash has " + hash.length + " bytes, expected " + MerkleHash.HASH_BYTES);
    }
  }

  private static void requireMatch(String what, byte[] calculated, byte[] expected) {
    if (!Arrays.equals(calculated, expected)) {
      throw new ProofException(
          "calculated "
              + what
              + " is "
              + HEX.formatHex(calculated)
              + ", expected "
              + HEX.formatHex(expected));
    }
  }
}
