package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MerkleHashTest {

  private static final TestVectors VECTORS = TestVectors.load();

  @Test
  void emptyRootIsSha256OfTheEmptyString() {
    assertThat(MerkleHash.emptyRoot()).isEqualTo(VECTORS.roots.get(0L));
  }

  @Test
  void leafHashOfASingleEntryIsTheRootOfAOneLeafTree() {
    assertThat(MerkleHash.leafHash(VECTORS.leaves.get(0))).isEqualTo(VECTORS.roots.get(1L));
  }

  @Test
  void completeSubtreesHashAsTheCtVectorsSay() {
    for (TestVectors.Node node : VECTORS.nodes) {
      assertThat(subtree(node.level(), node.index()))
          .as("node at level %d index %d", node.level(), node.index())
          .isEqualTo(node.hash());
    }
  }

  @Test
  void leafAndNodeHashesAreDomainSeparated() {
    byte[] left = MerkleHash.leafHash(new byte[] {1});
    byte[] right = MerkleHash.leafHash(new byte[] {2});
    byte[] concatenated = new byte[64];
    System.arraycopy(left, 0, concatenated, 0, 32);
    System.arraycopy(right, 0, concatenated, 32, 32);

    // A leaf whose bytes are two child hashes must not be mistaken for their parent node.
    assertThat(MerkleHash.leafHash(concatenated)).isNotEqualTo(MerkleHash.nodeHash(left, right));
  }

  @Test
  void nodeHashRejectsChildrenThatAreNotHashes() {
    byte[] hash = MerkleHash.emptyRoot();
    assertThatThrownBy(() -> MerkleHash.nodeHash(new byte[31], hash))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("left child hash has 31 bytes, expected 32");
    assertThatThrownBy(() -> MerkleHash.nodeHash(hash, new byte[33]))
        .hasMessage("right child hash has 33 bytes, expected 32");
  }

  private static byte[] subtree(int level, long index) {
    if (level == 0) {
      return VECTORS.leafHash((int) index);
    }
    return MerkleHash.nodeHash(subtree(level - 1, 2 * index), subtree(level - 1, 2 * index + 1));
  }
}
