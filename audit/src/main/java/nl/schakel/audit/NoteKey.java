package nl.schakel.audit;

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
    VerifierKeyText.Parsed p =
        VerifierKeyText.parse(verifierKey, ALG_ED25519, "an Ed25519 verifier key (0x01 and 32 bytes)");
    return new NoteKey(p.name(), p.keyHash(), p.key());
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
    return VerifierKeyText.format(name, ALG_ED25519, key);
  }

  static int keyHash(String name, byte[] rawPublicKey) {
    return VerifierKeyText.keyHash(name, ALG_ED25519, rawPublicKey);
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
