package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProofVerifierTest {

  private static final TestVectors VECTORS = TestVectors.load();
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_SIZE = 24;
  private static final List<byte[]> LEAVES = ReferenceTree.randomLeafHashes(2026, MAX_SIZE);
  private static final MerkleTree TREE = ReferenceTree.treeOf(LEAVES);

  @Test
  void acceptsTheCtVectorProofs() {
    for (TestVectors.Inclusion v : VECTORS.inclusions) {
      assertThatCode(
              () ->
                  ProofVerifier.verifyInclusion(
                      VECTORS.leafHash((int) v.index()),
                      v.index(),
                      v.treeSize(),
                      v.path(),
                      VECTORS.roots.get(v.treeSize())))
          .as("inclusion of %d in %d", v.index(), v.treeSize())
          .doesNotThrowAnyException();
    }
    for (TestVectors.Consistency v : VECTORS.consistencies) {
      assertThatCode(
              () ->
                  ProofVerifier.verifyConsistency(
                      v.first(),
                      v.second(),
                      VECTORS.roots.get(v.first()),
                      VECTORS.roots.get(v.second()),
                      v.proof()))
          .as("consistency %d -> %d", v.first(), v.second())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void rejectsTheCorruptedVectorProofsSayingWhatWasExpected() {
    for (TestVectors.BadInclusion v : VECTORS.badInclusions) {
      assertThatThrownBy(
              () ->
                  ProofVerifier.verifyInclusion(
                      VECTORS.leafHash((int) v.index()),
                      v.index(),
                      v.treeSize(),
                      v.path(),
                      VECTORS.roots.get(8L)))
          .as("bad inclusion of %d in %d", v.index(), v.treeSize())
          .isInstanceOf(ProofException.class)
          .hasMessageContaining(v.expectedMessage());
    }
    for (TestVectors.BadConsistency v : VECTORS.badConsistencies) {
      assertThatThrownBy(
              () ->
                  ProofVerifier.verifyConsistency(
                      v.first(),
                      v.second(),
                      VECTORS.roots.get(v.first()),
                      VECTORS.roots.get(v.second()),
                      v.proof()))
          .as("bad consistency %d -> %d", v.first(), v.second())
          .isInstanceOf(ProofException.class)
          .hasMessageContaining(v.expectedMessage());
    }
  }

  @Test
  void acceptsEveryInclusionProofOfTreesUpTo24Leaves() {
    for (long size = 1; size <= MAX_SIZE; size++) {
      for (long index = 0; index < size; index++) {
        ProofVerifier.verifyInclusion(
            leaf(index), index, size, TREE.inclusionProof(index, size), TREE.root(size));
      }
    }
  }

  @Test
  void acceptsEveryConsistencyProofOfTreesUpTo24Leaves() {
    for (long second = 1; second <= MAX_SIZE; second++) {
      for (long first = 1; first <= second; first++) {
        ProofVerifier.verifyConsistency(
            first, second, TREE.root(first), TREE.root(second), TREE.consistencyProof(first, second));
      }
    }
  }

  @Test
  void rejectsInclusionProofsWithAFlippedByte() {
    forEachInclusion(
        (index, size, proof, root) -> {
          for (int i = 0; i < proof.size(); i++) {
            List<byte[]> bad = flipByte(proof, i);
            assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(index), index, size, bad, root))
                .isInstanceOf(ProofException.class)
                .hasMessageStartingWith("calculated root of tree size " + size + " is ")
                .hasMessageEndingWith(", expected " + HEX.formatHex(root));
          }
        });
  }

  @Test
  void rejectsInclusionProofsOfTheWrongLength() {
    forEachInclusion(
        (index, size, proof, root) -> {
          String expected = "expected " + proof.size() + " for index " + index + " in a tree of size " + size;
          List<byte[]> longer = new ArrayList<>(proof);
          longer.add(root);
          assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(index), index, size, longer, root))
              .hasMessage("wrong inclusion proof size " + longer.size() + ", " + expected);
          if (!proof.isEmpty()) {
            List<byte[]> shorter = proof.subList(0, proof.size() - 1);
            assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(index), index, size, shorter, root))
                .hasMessage("wrong inclusion proof size " + shorter.size() + ", " + expected);
          }
        });
  }

  @Test
  void rejectsInclusionProofsForTheWrongIndexOrTreeSize() {
    forEachInclusion(
        (index, size, proof, root) -> {
          for (long wrong : new long[] {index - 1, index + 1, index ^ 2}) {
            if (wrong >= 0 && wrong < size && wrong != index) {
              assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(index), wrong, size, proof, root))
                  .isInstanceOf(ProofException.class)
                  .hasMessageContaining("expected");
            }
          }
          // Not size +- 1: see aPathAloneDoesNotBindTheTreeSize.
          for (long wrongSize : new long[] {size * 2, size / 2}) {
            if (wrongSize > index) {
              assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(index), index, wrongSize, proof, root))
                  .isInstanceOf(ProofException.class)
                  .hasMessageContaining("expected");
            }
          }
        });
  }

  @Test
  void rejectsInclusionProofsWithSwappedHashes() {
    forEachInclusion(
        (index, size, proof, root) -> {
          for (int i = 0; i + 1 < proof.size(); i++) {
            List<byte[]> swapped = new ArrayList<>(proof);
            swapped.set(i, proof.get(i + 1));
            swapped.set(i + 1, proof.get(i));
            assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(index), index, size, swapped, root))
                .hasMessageEndingWith(", expected " + HEX.formatHex(root));
          }
        });
  }

  @Test
  void aPathAloneDoesNotBindTheTreeSize() {
    // Leaf 0's path is "right sibling" at every level in trees of 5 and of 6 leaves alike, so the
    // size-6 path and root also pass as size 5. RFC 9162 binds size to root in the signed tree
    // head; receipts and auditors must therefore take (size, root) from a verified checkpoint.
    ProofVerifier.verifyInclusion(leaf(0), 0, 5, TREE.inclusionProof(0, 6), TREE.root(6));
  }

  @Test
  void rejectsTheWrongLeafOrRoot() {
    List<byte[]> proof = TREE.inclusionProof(3, 11);
    byte[] root = TREE.root(11);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(4), 3, 11, proof, root))
        .hasMessageEndingWith(", expected " + HEX.formatHex(root));
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(3), 3, 11, proof, TREE.root(12)))
        .hasMessageEndingWith(", expected " + HEX.formatHex(TREE.root(12)));
  }

  @Test
  void rejectsConsistencyProofsWithAFlippedByte() {
    forEachConsistency(
        (first, second, proof) -> {
          for (int i = 0; i < proof.size(); i++) {
            List<byte[]> bad = flipByte(proof, i);
            assertThatThrownBy(
                    () -> ProofVerifier.verifyConsistency(first, second, TREE.root(first), TREE.root(second), bad))
                .isInstanceOf(ProofException.class)
                .hasMessageMatching("calculated root of tree size (" + first + "|" + second + ") is [0-9a-f]{64}, expected [0-9a-f]{64}");
          }
        });
  }

  @Test
  void rejectsConsistencyProofsOfTheWrongLength() {
    forEachConsistency(
        (first, second, proof) -> {
          String expected = "expected " + proof.size() + " from tree size " + first + " to " + second;
          List<byte[]> longer = new ArrayList<>(proof);
          longer.add(0, TREE.root(first));
          assertThatThrownBy(
                  () -> ProofVerifier.verifyConsistency(first, second, TREE.root(first), TREE.root(second), longer))
              .hasMessage("wrong consistency proof size " + longer.size() + ", " + expected);
          List<byte[]> shorter = proof.subList(0, proof.size() - 1);
          assertThatThrownBy(
                  () -> ProofVerifier.verifyConsistency(first, second, TREE.root(first), TREE.root(second), shorter))
              .hasMessage("wrong consistency proof size " + shorter.size() + ", " + expected);
        });
  }

  @Test
  void rejectsConsistencyProofsWithSwappedHashesSizesOrRoots() {
    forEachConsistency(
        (first, second, proof) -> {
          byte[] firstRoot = TREE.root(first);
          byte[] secondRoot = TREE.root(second);
          for (int i = 0; i + 1 < proof.size(); i++) {
            List<byte[]> swapped = new ArrayList<>(proof);
            swapped.set(i, proof.get(i + 1));
            swapped.set(i + 1, proof.get(i));
            assertThatThrownBy(() -> ProofVerifier.verifyConsistency(first, second, firstRoot, secondRoot, swapped))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("expected");
          }
          assertThatThrownBy(() -> ProofVerifier.verifyConsistency(first, second, secondRoot, firstRoot, proof))
              .isInstanceOf(ProofException.class);
          for (long wrongFirst : new long[] {first - 1, first + 1, first ^ 2}) {
            if (wrongFirst != first) {
              assertThatThrownBy(() -> ProofVerifier.verifyConsistency(wrongFirst, second, firstRoot, secondRoot, proof))
                  .isInstanceOf(ProofException.class)
                  .hasMessageContaining("expected");
            }
          }
          for (long wrongSecond : new long[] {second * 2, second / 2}) {
            assertThatThrownBy(() -> ProofVerifier.verifyConsistency(first, wrongSecond, firstRoot, secondRoot, proof))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("expected");
          }
        });
  }

  @Test
  void rejectsMalformedInputWithAProofExceptionSayingWhatWasExpected() {
    byte[] root = TREE.root(8);
    List<byte[]> proof = TREE.inclusionProof(2, 8);
    List<byte[]> shortHash = new ArrayList<>(proof);
    shortHash.set(1, new byte[31]);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(2), 2, 8, shortHash, root))
        .isInstanceOf(ProofException.class)
        .hasMessage("proof[1] has 31 bytes, expected 32");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(new byte[0], 2, 8, proof, root))
        .hasMessage("leaf hash has 0 bytes, expected 32");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(2), 8, 8, proof, root))
        .hasMessage("expected 0 <= index < treeSize (8), found index 8");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf(2), -1, 8, proof, root))
        .hasMessage("expected 0 <= index < treeSize (8), found index -1");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 8, root, root, List.of()))
        .hasMessage("expected 0 < first <= second, found first 0 and second 8");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(9, 8, root, root, List.of()))
        .hasMessage("expected 0 < first <= second, found first 9 and second 8");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(8, 8, root, root, List.of(root)))
        .hasMessage("wrong consistency proof size 1, expected 0 for equal tree sizes");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(8, 8, root, TREE.root(7), List.of()))
        .hasMessage(
            "calculated root of tree size 8 is "
                + HEX.formatHex(root)
                + ", expected "
                + HEX.formatHex(TREE.root(7)));
  }

  @Test
  void answersRandomGarbageOnlyWithProofExceptions() {
    // An auditor feeds the verifier whatever a hostile log sends; no other exception may escape.
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      long size = random.nextInt(70) - 3;
      long index = random.nextInt(70) - 3;
      List<byte[]> proof = new ArrayList<>();
      for (int n = random.nextInt(9); n > 0; n--) {
        byte[] hash = new byte[random.nextInt(10) == 0 ? 31 : 32];
        random.nextBytes(hash);
        proof.add(hash);
      }
      byte[] a = new byte[32];
      byte[] b = new byte[32];
      random.nextBytes(a);
      random.nextBytes(b);
      assertThatThrownBy(() -> ProofVerifier.verifyInclusion(a, index, size, proof, b))
          .isInstanceOf(ProofException.class);
      assertThatThrownBy(() -> ProofVerifier.verifyConsistency(index, size, a, b, proof))
          .isInstanceOf(ProofException.class);
    }
  }

  private interface InclusionCase {
    void check(long index, long size, List<byte[]> proof, byte[] root);
  }

  private interface ConsistencyCase {
    void check(long first, long second, List<byte[]> proof);
  }

  private static void forEachInclusion(InclusionCase check) {
    for (long size = 1; size <= 20; size++) {
      for (long index = 0; index < size; index++) {
        check.check(index, size, TREE.inclusionProof(index, size), TREE.root(size));
      }
    }
  }

  // Pairs with a non-trivial proof: 0 < first < second.
  private static void forEachConsistency(ConsistencyCase check) {
    for (long second = 2; second <= 20; second++) {
      for (long first = 1; first < second; first++) {
        check.check(first, second, TREE.consistencyProof(first, second));
      }
    }
  }

  private static List<byte[]> flipByte(List<byte[]> proof, int i) {
    List<byte[]> bad = new ArrayList<>(proof);
    byte[] hash = proof.get(i).clone();
    hash[i % hash.length] ^= 0x10;
    bad.set(i, hash);
    return bad;
  }

  private static byte[] leaf(long index) {
    return LEAVES.get((int) index);
  }
}
