package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TilesTest {

  // One full level-1 tile (65536 leaves) plus a partial tail on every level.
  private static final int SIZE = 65_536 + 256 * 3 + 5;
  private static MerkleTree tree;

  @BeforeAll
  static void buildTree() {
    tree = new MerkleTree();
    for (int i = 0; i < SIZE; i++) {
      tree.append(MerkleHash.leafHash(ByteBuffer.allocate(4).putInt(i).array()));
    }
  }

  @Test
  void encodesPathsAsTheSpecDoes() {
    assertThat(Tiles.path(0, 0, 256)).isEqualTo("tile/0/000");
    assertThat(Tiles.path(0, 1_234_067, 256)).isEqualTo("tile/0/x001/x234/067");
    assertThat(Tiles.path(1, 1_234_067, 8)).isEqualTo("tile/1/x001/x234/067.p/8");
    assertThat(Tiles.path(2, 1000, 256)).isEqualTo("tile/2/x001/000");
    assertThat(Tiles.path(3, 999, 1)).isEqualTo("tile/3/999.p/1");
    assertThat(Tiles.entriesPath(1_234_067, 256)).isEqualTo("tile/entries/x001/x234/067");
    assertThat(Tiles.entriesPath(5, 3)).isEqualTo("tile/entries/005.p/3");
  }

  @Test
  void rejectsWidthsAndLevelsOutsideTheSpec() {
    assertThatThrownBy(() -> Tiles.path(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tiles.path(0, 0, 257)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tiles.path(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tiles.path(0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void levelZeroTilesHoldTheLeafHashes() {
    byte[] tile = Tiles.tile(tree, 0, 3, 256);

    assertThat(tile).hasSize(256 * 32);
    for (int i = 0; i < 256; i++) {
      assertThat(Arrays.copyOfRange(tile, i * 32, i * 32 + 32)).isEqualTo(tree.leafHash(768 + i));
    }
  }

  @Test
  void levelOneTilesHoldTheRootsOf256LeafSubtrees() {
    int width = Tiles.partialWidth(1, SIZE);
    byte[] tile = Tiles.tile(tree, 1, 1, width);

    assertThat(width).isEqualTo(3);
    for (int i = 0; i < width; i++) {
      long firstLeaf = (256L + i) * 256;
      MerkleTree subtree = new MerkleTree();
      for (long leaf = firstLeaf; leaf < firstLeaf + 256; leaf++) {
        subtree.append(tree.leafHash(leaf));
      }
      assertThat(Arrays.copyOfRange(tile, i * 32, i * 32 + 32)).isEqualTo(subtree.root());
    }
  }

  @Test
  void theTopTileOfAPowerOf256TreeHoldsItsRoot() {
    assertThat(Tiles.tile(tree, 2, 0, 1)).isEqualTo(tree.root(65_536));
  }

  @Test
  void computesPartialWidthsPerLevel() {
    assertThat(Tiles.partialWidth(0, SIZE)).isEqualTo(5);
    assertThat(Tiles.partialWidth(1, SIZE)).isEqualTo(3);
    assertThat(Tiles.partialWidth(2, SIZE)).isEqualTo(1);
    assertThat(Tiles.partialWidth(3, SIZE)).isZero();
  }

  @Test
  void refusesTilesBeyondTheTree() {
    assertThatThrownBy(() -> Tiles.tile(tree, 0, 259, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tile/0/259.p/6");
    assertThatThrownBy(() -> Tiles.tile(tree, 1, 1, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tiles.tile(tree, 2, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Tiles.tile(tree, 0, 259, 5)).hasSize(5 * 32);
  }
}
