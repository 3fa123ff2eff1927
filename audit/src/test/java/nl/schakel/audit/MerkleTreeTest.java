package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  private static final TestVectors VECTORS = TestVectors.load();

  @Test
  void rootsOfZeroToEightLeavesMatchTheCtVectors() {
    MerkleTree tree = new MerkleTree();
    assertThat(tree.root()).isEqualTo(VECTORS.roots.get(0L));
    for (int i = 0; i < VECTORS.leaves.size(); i++) {
      tree.append(VECTORS.leafHash(i));
      assertThat(tree.root()).as("root of %d leaves", i + 1).isEqualTo(VECTORS.roots.get(i + 1L));
    }
    // And again as roots of earlier sizes, computed from the stored levels, not the compact range.
    for (long size = 0; size <= 8; size++) {
      assertThat(tree.root(size)).as("root(%d)", size).isEqualTo(VECTORS.roots.get(size));
    }
  }

  @Test
  void inclusionProofsMatchTheCtVectors() {
    MerkleTree tree = eightLeafTree();
    for (TestVectors.Inclusion v : VECTORS.inclusions) {
      assertThat(tree.inclusionProof(v.index(), v.treeSize()))
          .as("audit path of %d in tree size %d", v.index(), v.treeSize())
          .containsExactlyElementsOf(v.path());
    }
  }

  @Test
  void consistencyProofsMatchTheCtVectors() {
    MerkleTree tree = eightLeafTree();
    for (TestVectors.Consistency v : VECTORS.consistencies) {
      assertThat(tree.consistencyProof(v.first(), v.second()))
          .as("consistency proof %d -> %d", v.first(), v.second())
          .containsExactlyElementsOf(v.proof());
    }
  }

  @Test
  void rootAtEveryEarlierSizeMatchesTheRfcDefinition() {
    // 300 leaves reach stored levels 4 and 8 and the recomputed levels between them.
    List<byte[]> leaves = ReferenceTree.randomLeafHashes(9162, 300);
    MerkleTree tree = ReferenceTree.treeOf(leaves);
    for (int size = 0; size <= leaves.size(); size++) {
      assertThat(tree.root(size))
          .as("root(%d)", size)
          .isEqualTo(ReferenceTree.mth(leaves.subList(0, size)));
    }
    assertThat(tree.root()).isEqualTo(ReferenceTree.mth(leaves));
  }

  @Test
  void proofsAcrossStoredLevelsVerify() {
    List<byte[]> leaves = ReferenceTree.randomLeafHashes(6962, 300);
    MerkleTree tree = ReferenceTree.treeOf(leaves);
    for (long treeSize : new long[] {255, 256, 257, 300}) {
      byte[] root = tree.root(treeSize);
      for (long index = 0; index < treeSize; index++) {
        ProofVerifier.verifyInclusion(
            leaves.get((int) index), index, treeSize, tree.inclusionProof(index, treeSize), root);
      }
      for (long first = 1; first <= treeSize; first++) {
        ProofVerifier.verifyConsistency(
            first, treeSize, tree.root(first), root, tree.consistencyProof(first, treeSize));
      }
    }
  }

  @Test
  void keepsItsLeafHashes() {
    MerkleTree tree = eightLeafTree();
    assertThat(tree.size()).isEqualTo(8);
    assertThat(tree.leafHash(7)).isEqualTo(VECTORS.leafHash(7));
  }

  @Test
  void handsOutCopiesSoCallersCannotChangeTheTree() {
    MerkleTree tree = new MerkleTree();
    byte[] leaf = VECTORS.leafHash(0);
    tree.append(leaf);
    leaf[0] ^= 1;
    tree.root()[0] ^= 1;
    tree.leafHash(0)[0] ^= 1;

    assertThat(tree.root()).isEqualTo(VECTORS.roots.get(1L));
  }

  @Test
  void rejectsRequestsOutsideTheTreeSayingWhatWasExpected() {
    MerkleTree tree = eightLeafTree();
    assertThatThrownBy(() -> tree.root(9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected 0 <= treeSize <= size (8), found treeSize 9");
    assertThatThrownBy(() -> tree.inclusionProof(5, 5))
        .hasMessage("expected 0 <= index < treeSize (5), found index 5");
    assertThatThrownBy(() -> tree.inclusionProof(0, 9))
        .hasMessage("expected 0 <= treeSize <= size (8), found treeSize 9");
    assertThatThrownBy(() -> tree.consistencyProof(0, 4))
        .hasMessage("expected 0 < first <= second (4), found first 0");
    assertThatThrownBy(() -> tree.consistencyProof(5, 4))
        .hasMessage("expected 0 < first <= second (4), found first 5");
    assertThatThrownBy(() -> tree.append(new byte[20]))
        .hasMessage("leaf hash has 20 bytes, expected 32");
  }

  @Test
  void consistencyProofBetweenEqualSizesIsEmpty() {
    assertThat(eightLeafTree().consistencyProof(5, 5)).isEmpty();
  }

  private static MerkleTree eightLeafTree() {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < VECTORS.leaves.size(); i++) {
      tree.append(VECTORS.leafHash(i));
    }
    return tree;
  }
}
