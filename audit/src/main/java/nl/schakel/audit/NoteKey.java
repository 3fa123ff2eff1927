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
 * The public half of a C2SP signed-note Ed25519 key: a name, the 4-byte key hash that signature
 * lines carry, and the public key. Its text form, the verifier key, is {@code
 * <name>+<8 hex digits of key hash>+<base64(0x01 || 32-byte public key)>}.
 *
 * <p>The key hash is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), read as a
 * big-endian number (c2sp.org/signed-note). Names are non-empty and hold no '+', no whitespace
 * and no control character, so that a signature line can never be ambiguous.
 */
public final class NoteKey {

  /** The algorithm byte of Ed25519 in keys and key hashes. */
  static final byte ALG_ED25519 = 0x01;

  private final String name;
  private final int keyHash;
  private final VerifyingKey key;

  private NoteKey(String name, int keyHash, VerifyingKey key) {
    this.name = name;
    this.keyHash = keyHash;
    this.key = key;
  }

  /** The note key named {@code name} for Ed25519 key {@code key}. Requires a valid name. */
  public static NoteKey of(String name, VerifyingKey key) {
    requireName(name);
    Objects.requireNonNull(key, "key");
    return new NoteKey(name, keyHash(name, key.raw()), key);
  }

  /**
   * Parses a verifier key {@code <name>+<hash>+<base64 key>}; fails with {@link
   * CheckpointException} on anything else, including a hash that does not match name and key.
   */
  public static NoteKey parse(String verifierKey) {
    Objects.requireNonNull(verifierKey, "verifierKey");
    int first = verifierKey.indexOf('+');
    int second = first < 0 ? -1 : verifierKey.indexOf('+', first + 1);
    if (first <= 0 || second < 0) {
      throw new CheckpointException(
          "expected a verifier key <name>+<hex key hash>+<base64 key>, found no two '+' separators");
    }
    String name = verifierKey.substring(0, first);
    String hashHex = verifierKey.substring(first + 1, second);
    String keyText = verifierKey.substring(second + 1);
    try {
      requireName(name);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("verifier key: " + e.getMessage());
    }
    if (!hashHex.matches("[0-9a-f]{8}")) {
      throw new CheckpointException(
          "verifier key hash must be 8 lowercase hex digits, found '" + hashHex + "'");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(keyText);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("verifier key is not valid base64: " + e.getMessage());
    }
    if (raw.length != 1 + VerifyingKey.KEY_LEN || raw[0] != ALG_ED25519) {
      throw new CheckpointException(
          "expected an Ed25519 verifier key (0x01 and 32 bytes), found "
              + raw.length
              + " bytes"
              + (raw.length > 0 ? " starting with algorithm " + raw[0] : ""));
    }
    byte[] pub = new byte[VerifyingKey.KEY_LEN];
    System.arraycopy(raw, 1, pub, 0, pub.length);
    VerifyingKey key;
    try {
      key = VerifyingKey.fromRaw(pub);
    } catch (RuntimeException e) {
      throw new CheckpointException("verifier key holds no valid Ed25519 key: " + e.getMessage());
    }
    int computed = keyHash(name, pub);
    int declared = (int) Long.parseLong(hashHex, 16);
    if (computed != declared) {
      throw new CheckpointException(
          "verifier key hash is " + hashHex + ", expected " + hex(computed) + " for its name and key");
    }
    return new NoteKey(name, computed, key);
  }

  public String name() {
    return name;
  }

  /** The 4-byte key hash as a big-endian int. */
  public int keyHash() {
    return keyHash;
  }

  public VerifyingKey verifyingKey() {
    return key;
  }

  /** Returns the verifier key text, {@code <name>+<hash>+<base64(0x01 || key)>}. */
  public String verifierKey() {
    byte[] raw = new byte[1 + VerifyingKey.KEY_LEN];
    raw[0] = ALG_ED25519;
    System.arraycopy(key.raw(), 0, raw, 1, VerifyingKey.KEY_LEN);
    return name + "+" + hex(keyHash) + "+" + Base64.getEncoder().encodeToString(raw);
  }

  static int keyHash(String name, byte[] rawPublicKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(name.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) '\n');
      sha256.update(ALG_ED25519);
      sha256.update(rawPublicKey);
      return ByteBuffer.wrap(sha256.digest()).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 missing from this JDK", e);
    }
  }

  static void requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a note key name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "a note key name must hold no '+', space or control character, found one at position "
                + i);
      }
    }
  }

  private static String hex(int keyHash) {
    return HexFormat.of().toHexDigits(keyHash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteKey other
        && name.equals(other.name)
        && keyHash == other.keyHash
        && key.equals(other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, keyHash, key);
  }

  @Override
  public String toString() {
    return verifierKey();
  }
}
