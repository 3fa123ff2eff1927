package nl.schakel.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * The C2SP verifier key text, {@code <name>+<8 hex key hash>+<base64(algorithm || 32-byte
 * Ed25519 key)>}, shared by note signers (algorithm 0x01, {@link NoteKey}) and witnesses
 * (0x04, {@link CosignatureVerifier}): the two differ only in the algorithm byte, which the key
 * hash covers, so one key can never pass for the other kind.
 */
final class VerifierKeyText {

  /** A parsed verifier key whose hash matched its name, algorithm and key. */
  record Parsed(String name, int keyHash, VerifyingKey key) {}

  private VerifierKeyText() {}

  /** First 4 bytes (big endian) of SHA-256(name || '\n' || algorithm || public key). */
  static int keyHash(String name, byte algorithm, byte[] rawPublicKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(name.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) '\n');
      sha256.update(algorithm);
      sha256.update(rawPublicKey);
      return ByteBuffer.wrap(sha256.digest()).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 missing from this JDK", e);
    }
  }

  static String format(String name, byte algorithm, VerifyingKey key) {
    byte[] raw = new byte[1 + VerifyingKey.KEY_LEN];
    raw[0] = algorithm;
    System.arraycopy(key.raw(), 0, raw, 1, VerifyingKey.KEY_LEN);
    return name + "+" + hex(keyHash(name, algorithm, key.raw())) + "+" + Base64.getEncoder().encodeToString(raw);
  }

  /**
   * Parses {@code verifierKey} for {@code algorithm}; {@code expected} names that kind of key in
   * the error ("an Ed25519 verifier key (0x01 and 32 bytes)"). Fails with {@link
   * CheckpointException} when malformed, of another algorithm, or when the hash does not match
   * name and key.
   */
  static Parsed parse(String verifierKey, byte algorithm, String expected) {
    Objects.requireNonNull(verifierKey, "verifierKey");
    int first = verifierKey.indexOf('+');
    int second = first < 0 ? -1 : verifierKey.indexOf('+', first + 1);
    if (first <= 0 || second < 0) {
      throw new CheckpointException(
          "expected a verifier key <name>+<hex key hash>+<base64 key>, found no two '+' separators");
    }
    String name = verifierKey.substring(0, first);
    String hashHex = verifierKey.substring(first + 1, second);
    try {
      NoteKey.requireName(name);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("verifier key: " + e.getMessage());
    }
    if (!hashHex.matches("[0-9a-f]{8}")) {
      throw new CheckpointException(
          "verifier key hash must be 8 lowercase hex digits, found '" + abbreviate(hashHex) + "'");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(verifierKey.substring(second + 1));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("verifier key is not valid base64: " + e.getMessage());
    }
    if (raw.length != 1 + VerifyingKey.KEY_LEN || raw[0] != algorithm) {
      throw new CheckpointException(
          "expected " + expected + ", found " + raw.length + " bytes"
              + (raw.length > 0 ? String.format(" with algorithm 0x%02x", raw[0]) : ""));
    }
    byte[] pub = new byte[VerifyingKey.KEY_LEN];
    System.arraycopy(raw, 1, pub, 0, pub.length);
    VerifyingKey key;
    try {
      key = VerifyingKey.fromRaw(pub);
    } catch (RuntimeException e) {
      throw new CheckpointException("verifier key holds no valid Ed25519 key: " + e.getMessage());
    }
    int computed = keyHash(name, algorithm, pub);
    if (!hex(computed).equals(hashHex)) {
      throw new CheckpointException(
          "verifier key hash is " + hashHex + ", expected " + hex(computed) + " for its name and key");
    }
    return new Parsed(name, computed, key);
  }

  static String hex(int keyHash) {
    return HexFormat.of().toHexDigits(keyHash);
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
