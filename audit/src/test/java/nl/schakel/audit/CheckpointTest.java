package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  private static final String ORIGIN = "schakel/demo/gateway";

  @TempDir Path dir;

  private CheckpointSigner signer;
  private CheckpointVerifier verifier;
  private final byte[] root = MerkleHash.leafHash(new byte[] {1, 2, 3});

  @BeforeEach
  void keys() {
    signer = new CheckpointSigner(TestKeys.seeded(1, dir), ORIGIN);
    verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
  }

  @Test
  void writesTheC2spCheckpointFormat() {
    String note = signer.sign(12, root);

    String b64 = Base64.getEncoder().encodeToString(root);
    assertThat(note).startsWith(ORIGIN + "\n12\n" + b64 + "\n\n\u2014 " + ORIGIN + " ");
    assertThat(note).endsWith("\n");
    assertThat(note.lines()).hasSize(5);
    assertThat(signer.verifierKey()).matches("schakel/demo/gateway\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}");
  }

  @Test
  void verifiesWhatItSignsAndReturnsSizeAndRoot() {
    Checkpoint checkpoint = verifier.verify(signer.sign(12, root));

    assertThat(checkpoint).isEqualTo(new Checkpoint(ORIGIN, 12, root));
    assertThat(verifier.verify(signer.sign(0, MerkleHash.emptyRoot())).size()).isZero();
  }

  @Test
  void rejectsACheckpointWhoseSizeOrRootWasChanged() {
    String note = signer.sign(12, root);

    assertThatThrownBy(() -> verifier.verify(note.replace("\n12\n", "\n13\n")))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void rejectsACheckpointSignedByAnotherKey() {
    CheckpointSigner other = new CheckpointSigner(TestKeys.seeded(2, dir), ORIGIN);

    assertThatThrownBy(() -> verifier.verify(other.sign(12, root)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("unknown key");
  }

  @Test
  void rejectsACheckpointOfAnotherOriginEvenWithTheSameKeyName() {
    // Same key and name, but a body naming another log: the origin check catches it.
    String body = new Checkpoint("schakel/other/gateway", 12, root).body();
    String note = SignedNote.sign(body, ORIGIN, TestKeys.seeded(1, dir));

    assertThatThrownBy(() -> verifier.verify(note))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("expected '" + ORIGIN + "'");
  }

  @Test
  void rejectsNonCanonicalSizesAndExtraOrMissingLines() {
    String b64 = Base64.getEncoder().encodeToString(root);
    for (String body :
        new String[] {
          ORIGIN + "\n012\n" + b64 + "\n",
          ORIGIN + "\n+12\n" + b64 + "\n",
          ORIGIN + "\n-1\n" + b64 + "\n",
          ORIGIN + "\n99999999999999999999\n" + b64 + "\n",
          ORIGIN + "\n12\n" + b64 + "\nextension\n",
          ORIGIN + "\n12\n",
          ORIGIN + "\n12\n" + b64.replace("=", "") + "\n",
          ORIGIN + "\n12\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n",
        }) {
      String note = SignedNote.sign(body, ORIGIN, TestKeys.seeded(1, dir));
      assertThatThrownBy(() -> verifier.verify(note))
          .as(body)
          .isInstanceOf(CheckpointException.class);
    }
  }
}
