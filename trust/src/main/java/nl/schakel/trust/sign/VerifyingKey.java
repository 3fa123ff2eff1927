package nl.schakel.trust.sign;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key (RFC 8032) that checks signatures. Immutable and thread-safe; the decoded
 * curve point is kept, so verifying many signatures with one key does not decode it again.
 */
public final class VerifyingKey {

  /** Raw public key length, RFC 8032 section 5.1.5. */
  public static final int KEY_LEN = 32;
  /** Signature length, RFC 8032 section 5.1.6: R (32 bytes) then S (32 bytes). */
  public static final int SIGNATURE_LEN = 64;

  private final byte[] raw;
  private final Ed25519PublicKeyParameters key;
  private final KeyId keyId;

  private VerifyingKey(byte[] raw) {
    this.raw = raw;
    this.key = new Ed25519PublicKeyParameters(raw);
    this.keyId = KeyId.ofRaw(raw);
  }

  /**
   * The key with this 32-byte encoding; the array is copied.
   *
   * @throws IllegalArgumentException unless exactly {@value #KEY_LEN} bytes encoding a point of
   *     the prime-order subgroup: small-order keys (RFC 8032 section 5.1.7 lets verifiers reject
   *     them) would accept one signature for many messages
   */
  public static VerifyingKey fromRaw(byte[] raw) {
    if (raw == null || raw.length != KEY_LEN) {
      throw new IllegalArgumentException(
          "an Ed25519 public key is " + KEY_LEN + " bytes, found "
              + (raw == null ? "none" : raw.length + " bytes"));
    }
    if (!Ed25519.validatePublicKeyFull(raw, 0)) {
      throw new IllegalArgumentException(
          "the 32 bytes are not an Ed25519 public key (not a point of the prime-order subgroup)");
    }
    return new VerifyingKey(raw.clone());
  }

  /**
   * Reads a SubjectPublicKeyInfo "PUBLIC KEY" PEM file (RFC 8410), as {@link #toPem()} and {@code
   * openssl pkey -pubout} write it.
   *
   * @throws IOException if the file cannot be read or does not hold exactly one Ed25519 public key
   */
  public static VerifyingKey readPem(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] raw = Ed25519Pem.readPublic(file);
    try {
      return fromRaw(raw);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /** The SubjectPublicKeyInfo "PUBLIC KEY" PEM text, ending in a newline. */
  public String toPem() {
    return Ed25519Pem.publicPem(raw);
  }

  /** A copy of the raw 32-byte key. */
  public byte[] raw() {
    return raw.clone();
  }

  /** The id that names this key in signature files and envelopes. */
  public KeyId keyId() {
    return keyId;
  }

  /**
   * Checks an Ed25519 signature (pure Ed25519, no context or prehash) over {@code message}.
   *
   * @throws InvalidSignatureException if {@code signature} is not {@value #SIGNATURE_LEN} bytes or
   *     does not verify with this key over exactly these bytes
   */
  public void verify(byte[] message, byte[] signature) throws InvalidSignatureException {
    Objects.requireNonNull(message, "message");
    if (signature == null || signature.length != SIGNATURE_LEN) {
      throw new InvalidSignatureException(
          "an Ed25519 signature is " + SIGNATURE_LEN + " bytes, found "
              + (signature == null ? "none" : signature.length + " bytes"));
    }
    if (!key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0)) {
      throw new InvalidSignatureException(
          "signature does not verify with key " + keyId + " over these " + message.length
              + " bytes");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyingKey other && MessageDigest.isEqual(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "VerifyingKey[" + keyId + "]";
  }
}
