package nl.schakel.trust.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;
import nl.schakel.trust.io.OwnerOnlyFile;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (RFC 8032) that signs: answers, questions, checkpoints and convenant
 * versions. Signing goes through Bouncy Castle (about 54 us per signature here, against 674 us for
 * the JDK provider). Thread-safe. The key material leaves this object only into a key file; {@link
 * #toString()} shows the key id and nothing secret.
 */
public final class SigningKey {

  /** Length of the private key (the RFC 8032 seed). */
  public static final int SEED_LEN = 32;

  private final Ed25519PrivateKeyParameters key;
  // Kept so that signing does not derive the public key again for every signature.
  private final Ed25519PublicKeyParameters publicKey;
  private final VerifyingKey verifyingKey;

  private SigningKey(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.publicKey = key.generatePublicKey();
    this.verifyingKey = VerifyingKey.fromRaw(publicKey.getEncoded());
  }

  /** A fresh key from {@code random}. */
  public static SigningKey generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    return new SigningKey(new Ed25519PrivateKeyParameters(random));
  }

  /**
   * The key with this 32-byte seed (RFC 8032 section 5.1.5), e.g. from a test vector; copied.
   *
   * @throws IllegalArgumentException unless exactly {@value #SEED_LEN} bytes
   */
  static SigningKey fromSeed(byte[] seed) {
    if (seed == null || seed.length != SEED_LEN) {
      throw new IllegalArgumentException(
          "an Ed25519 private key is " + SEED_LEN + " bytes, found "
              + (seed == null ? "none" : seed.length + " bytes"));
    }
    return new SigningKey(new Ed25519PrivateKeyParameters(seed.clone()));
  }

  /**
   * Reads a PKCS#8 "PRIVATE KEY" PEM file (RFC 8410), as {@link #writeTo(Path)}, {@code openssl
   * genpkey -algorithm ed25519} and the JDK write it.
   *
   * @throws IOException if the file cannot be read or does not hold exactly one Ed25519 private
   *     key; the message names the file, never its content
   */
  public static SigningKey readPem(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return new SigningKey(Ed25519Pem.readPrivate(file));
  }

  /**
   * Writes the key as PKCS#8 PEM to a new file readable by its owner only (0600 where the file
   * system has POSIX permissions).
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists; it is left as is:
   *     replacing a signing key silently would orphan everything signed with it
   */
  public void writeTo(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    OwnerOnlyFile.createNew(file, Ed25519Pem.privatePem(key).getBytes(StandardCharsets.US_ASCII));
  }

  /** The public half, for verifiers. */
  public VerifyingKey verifyingKey() {
    return verifyingKey;
  }

  /** The id of the public half. */
  public KeyId keyId() {
    return verifyingKey.keyId();
  }

  /** A {@value VerifyingKey#SIGNATURE_LEN}-byte Ed25519 signature (pure, no context) over {@code message}. */
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    key.sign(Ed25519.Algorithm.Ed25519, publicKey, null, message, 0, message.length, signature, 0);
    return signature;
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId() + ", private part redacted]";
  }
}
