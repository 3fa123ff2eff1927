package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Witness cosignatures as c2sp.org/tlog-cosignature defines cosignature/v1. */
class CosignatureTest {

  private static final String WITNESS = "schakel/node/politie";
  private static final Instant SEEN = Instant.parse("2026-11-29T10:00:00Z");

  @TempDir Path dir;
  private SigningKey key;
  private Cosigner cosigner;
  private Checkpoint checkpoint;

  @BeforeEach
  void setUp() {
    key = TestKeys.seeded(42, dir);
    cosigner = new Cosigner(key, WITNESS);
    byte[] root = new byte[32];
    Arrays.fill(root, (byte) 7);
    checkpoint = new Checkpoint("schakel/midden/gateway", 12, root);
  }

  @Test
  void cosignatureVerifiesAndReturnsTheWitnessTime() {
    String line = cosigner.cosign(checkpoint, SEEN.plusMillis(999));

    CosignatureVerifier verifier = CosignatureVerifier.forVerifierKey(cosigner.verifierKey());

    assertThat(verifier.name()).isEqualTo(WITNESS);
    assertThat(verifier.verify(checkpoint, line)).isEqualTo(SEEN);
    assertThat(CosignatureVerifier.of(WITNESS, key.verifyingKey()).verify(checkpoint, line)).isEqualTo(SEEN);
  }

  @Test
  void signatureLineIsKeyHashTimestampAndSignatureOverTheCosignatureMessage() throws Exception {
    String line = cosigner.cosign(checkpoint, SEEN);

    // First principles: SHA-256(name || 0x0A || 0x04 || public key), first 4 bytes.
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(WITNESS.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0x0a);
    sha.update((byte) 0x04);
    sha.update(key.verifyingKey().raw());
    byte[] keyHash = Arrays.copyOf(sha.digest(), 4);
    byte[] message = ("cosignature/v1\ntime " + SEEN.getEpochSecond() + "\n"
        + "schakel/midden/gateway\n12\n" + Base64.getEncoder().encodeToString(checkpoint.rootHash()) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] expectedBlob = ByteBuffer.allocate(76).put(keyHash).putLong(SEEN.getEpochSecond())
        .put(key.sign(message)).array(); // Ed25519 is deterministic

    assertThat(line).isEqualTo("\u2014 " + WITNESS + " " + Base64.getEncoder().encodeToString(expectedBlob));
    assertThat(line).doesNotEndWith("\n");
    byte[] rawKey = new byte[33];
    rawKey[0] = 0x04;
    System.arraycopy(key.verifyingKey().raw(), 0, rawKey, 1, 32);
    assertThat(cosigner.verifierKey()).isEqualTo(
        WITNESS + "+" + HexFormat.of().formatHex(keyHash) + "+" + Base64.getEncoder().encodeToString(rawKey));
  }

  @Test
  void aCosignatureIsNotALogSignatureOfTheSameKey() {
    // Algorithm byte 0x04, not 0x01: the two key hashes differ, so neither passes for the other.
    assertThat(NoteKey.of(WITNESS, key.verifyingKey()).verifierKey()).isNotEqualTo(cosigner.verifierKey());
    assertThatThrownBy(() -> CosignatureVerifier.forVerifierKey(NoteKey.of(WITNESS, key.verifyingKey()).verifierKey()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("algorithm 0x01");
  }

  @Test
  void refusesACosignatureOfAnotherCheckpoint() {
    String line = cosigner.cosign(checkpoint, SEEN);
    Checkpoint grown = new Checkpoint(checkpoint.origin(), 13, checkpoint.rootHash());

    assertThatThrownBy(() -> verifier().verify(grown, line))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("does not verify")
        .hasMessageContaining("size 13");
  }

  @Test
  void refusesATamperedTimestamp() {
    byte[] blob = blob(cosigner.cosign(checkpoint, SEEN));
    blob[4 + 7] ^= 1; // the last byte of the timestamp: one second later

    assertThatThrownBy(() -> verifier().verify(checkpoint, line(WITNESS, blob)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("does not verify over time " + (SEEN.getEpochSecond() ^ 1));
  }

  @Test
  void refusesATamperedSignature() {
    byte[] blob = blob(cosigner.cosign(checkpoint, SEEN));
    blob[blob.length - 1] ^= 0x40;

    assertThatThrownBy(() -> verifier().verify(checkpoint, line(WITNESS, blob)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void refusesACosignatureByAnotherKeyUnderTheSameName() {
    String line = new Cosigner(TestKeys.seeded(43, dir), WITNESS).cosign(checkpoint, SEEN);

    assertThatThrownBy(() -> verifier().verify(checkpoint, line))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("another key");
  }

  @Test
  void refusesACosignatureOfAnotherWitnessName() {
    String line = new Cosigner(key, "schakel/node/ggz").cosign(checkpoint, SEEN);

    assertThatThrownBy(() -> verifier().verify(checkpoint, line))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("by witness 'schakel/node/ggz', expected '" + WITNESS + "'");
  }

  @Test
  void refusesMalformedLines() {
    String line = cosigner.cosign(checkpoint, SEEN);
    byte[] shortBlob = Arrays.copyOf(blob(line), 68); // a plain signed-note signature's length

    assertThatThrownBy(() -> verifier().verify(checkpoint, line.substring(2)))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("em dash");
    assertThatThrownBy(() -> verifier().verify(checkpoint, line(WITNESS, shortBlob)))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("68 bytes, expected 76");
    assertThatThrownBy(() -> verifier().verify(checkpoint, "\u2014 " + WITNESS + " not*base64"))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("base64");
    assertThatThrownBy(() -> verifier().verify(checkpoint, line + "\n" + line))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("one cosignature line");
  }

  @Test
  void refusesMalformedVerifierKeys() {
    String good = cosigner.verifierKey();
    String wrongHash = good.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");

    assertThatThrownBy(() -> CosignatureVerifier.forVerifierKey(wrongHash))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("expected");
    assertThatThrownBy(() -> CosignatureVerifier.forVerifierKey("no-separators"))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("'+' separators");
    assertThatThrownBy(() -> new Cosigner(key, "has space"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private CosignatureVerifier verifier() {
    return CosignatureVerifier.forVerifierKey(cosigner.verifierKey());
  }

  private static byte[] blob(String line) {
    return Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
  }

  private static String line(String name, byte[] blob) {
    return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob);
  }
}
