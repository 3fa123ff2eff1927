package nl.schakel.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * Checks a witness's cosignature on a checkpoint (c2sp.org/tlog-cosignature, {@code
 * cosignature/v1}, Ed25519): one signature line {@code — <name> <base64(4-byte key hash || 8-byte
 * big-endian timestamp || 64-byte signature)>}, the signature over {@code "cosignature/v1\ntime
 * <timestamp>\n"} followed by the checkpoint body. The timestamp is in the signed message, so a
 * witness vouches for <em>when</em> it saw the checkpoint, not only that it saw it.
 *
 * <p>The key hash is the first 4 bytes of SHA-256(name || 0x0A || 0x04 || public key): algorithm
 * byte 0x04, not the 0x01 of plain signed notes, so a cosignature can never pass for a log
 * signature of the same key, nor the reverse. Every failure is a {@link CheckpointException}
 * naming what is wrong.
 */
public final class CosignatureVerifier {

  /** The algorithm byte of cosignature/v1 (Ed25519 with timestamp) in keys and key hashes. */
  static final byte ALG_COSIGNATURE_V1 = 0x04;

  /** The first line of the signed message: binds the signature to this one purpose. */
  static final String HEADER = "cosignature/v1\n";

  /** 4-byte key hash, 8-byte timestamp, 64-byte Ed25519 signature. */
  static final int BLOB_BYTES = 4 + 8 + VerifyingKey.SIGNATURE_LEN;

  private final String name;
  private final int keyHash;
  private final VerifyingKey key;

  private CosignatureVerifier(String name, VerifyingKey key) {
    this.name = name;
    this.key = key;
    this.keyHash = keyHash(name, key.raw());
  }

  /**
   * Parses a cosignature verifier key {@code <name>+<8 hex key hash>+<base64(0x04 || 32-byte
   * key)>}; fails with {@link CheckpointException} when malformed, of another algorithm, or when
   * the hash does not match name and key.
   */
  public static CosignatureVerifier forVerifierKey(String verifierKey) {
    VerifierKeyText.Parsed p = VerifierKeyText.parse(
        verifierKey, ALG_COSIGNATURE_V1, "a cosignature/v1 verifier key (algorithm 0x04 and 32 bytes)");
    return new CosignatureVerifier(p.name(), p.key());
  }

  /** Trusts Ed25519 key {@code key} as witness {@code name}. Requires a valid note key name. */
  public static CosignatureVerifier of(String name, VerifyingKey key) {
    NoteKey.requireName(name);
    Objects.requireNonNull(key, "key");
    return new CosignatureVerifier(name, key);
  }

  public String name() {
    return name;
  }

  /** Returns {@code <name>+<8 hex key hash>+<base64(0x04 || public key)>}. */
  public String verifierKey() {
    return VerifierKeyText.format(name, ALG_COSIGNATURE_V1, key);
  }

  /**
   * Verifies {@code signatureLine}, one line {@code — <name> <base64>} (a final newline is
   * tolerated), as this witness's cosignature of {@code checkpoint}; returns the time the witness
   * signed it. Throws {@link CheckpointException} naming what is wrong: a malformed line, another
   * witness's name, another key, or a signature that does not verify.
   */
  public Instant verify(Checkpoint checkpoint, String signatureLine) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(signatureLine, "signatureLine");
    String line =
        signatureLine.endsWith("\n")
            ? signatureLine.substring(0, signatureLine.length() - 1)
            : signatureLine;
    if (line.length() > 1024 || line.indexOf('\n') >= 0) {
      throw new CheckpointException("expected one cosignature line, found several lines or a long text");
    }
    if (!line.startsWith(SignedNote.SIGNATURE_PREFIX)) {
      throw new CheckpointException("cosignature line does not start with an em dash and a space");
    }
    String rest = line.substring(SignedNote.SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space <= 0 || rest.indexOf(' ', space + 1) >= 0) {
      throw new CheckpointException("cosignature line is not '\u2014 <name> <base64>'");
    }
    String lineName = rest.substring(0, space);
    if (!lineName.equals(name)) {
      throw new CheckpointException(
          "cosignature is by witness '" + abbreviate(lineName) + "', expected '" + name + "'");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(rest.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("cosignature is not valid base64: " + e.getMessage());
    }
    if (blob.length != BLOB_BYTES) {
      throw new CheckpointException(
          "cosignature holds " + blob.length + " bytes, expected " + BLOB_BYTES
              + " (key hash, timestamp, Ed25519 signature)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(blob);
    int lineHash = buffer.getInt();
    if (lineHash != keyHash) {
      throw new CheckpointException(
          "cosignature is by key " + name + "+" + hex(lineHash) + ", expected " + name + "+"
              + hex(keyHash) + " (another key)");
    }
    long seconds = buffer.getLong();
    if (seconds < 0) {
      throw new CheckpointException(
          "cosignature timestamp is beyond 2^63 - 1 seconds, expected a time since 1970");
    }
    byte[] signature = new byte[VerifyingKey.SIGNATURE_LEN];
    buffer.get(signature);
    try {
      key.verify(signedMessage(checkpoint, seconds), signature);
    } catch (InvalidSignatureException e) {
      throw new CheckpointException(
          "cosignature by " + name + " does not verify over time " + seconds
              + " and the checkpoint of " + checkpoint.origin() + " at size " + checkpoint.size());
    }
    return Instant.ofEpochSecond(seconds);
  }

  int keyHash() {
    return keyHash;
  }

  /** What a cosignature/v1 signs: the header, the time line and the checkpoint body. */
  static byte[] signedMessage(Checkpoint checkpoint, long seconds) {
    return (HEADER + "time " + seconds + "\n" + checkpoint.body()).getBytes(StandardCharsets.UTF_8);
  }

  static int keyHash(String name, byte[] rawPublicKey) {
    return VerifierKeyText.keyHash(name, ALG_COSIGNATURE_V1, rawPublicKey);
  }

  private static String hex(int keyHash) {
    return VerifierKeyText.hex(keyHash);
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  @Override
  public String toString() {
    return verifierKey();
  }
}
