package nl.schakel.trust.token;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import nl.schakel.trust.io.OwnerOnlyFile;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The demo federation's analyst-token issuer: an Ed25519 key pair in two PEM files that OpenSSL,
 * the JDK and Vert.x read.
 *
 * <ul>
 *   <li>{@value #PRIVATE_KEY_FILE}: PKCS#8 "PRIVATE KEY" (RFC 8410), mode 0600;
 *   <li>{@value #PUBLIC_KEY_FILE}: SubjectPublicKeyInfo "PUBLIC KEY" (RFC 8410), for the
 *       gateway's JWT verifier.
 * </ul>
 *
 * Signing uses Bouncy Castle, about ten times faster than the JDK's Ed25519 here.
 */
public final class DemoIssuerKey {

  public static final String PRIVATE_KEY_FILE = "issuer.key.pem";
  public static final String PUBLIC_KEY_FILE = "issuer.pub.pem";

  private static final String PRIVATE_PEM_TYPE = "PRIVATE KEY";
  private static final String PUBLIC_PEM_TYPE = "PUBLIC KEY";
  /** id-Ed25519 (RFC 8410 section 3), the algorithm in both PEM files. */
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
  /** Bytes of the public key's SHA-256 that form the key id; 64 bits cannot collide by accident. */
  private static final int KEY_ID_BYTES = 8;

  private final Ed25519PrivateKeyParameters privateKey;
  private final Path publicKeyPem;
  private final String keyId;

  private DemoIssuerKey(Ed25519PrivateKeyParameters privateKey, Path publicKeyPem) {
    this.privateKey = privateKey;
    this.publicKeyPem = publicKeyPem;
    this.keyId = keyIdOf(privateKey.generatePublicKey());
  }

  /**
   * Loads the issuer key from {@code dir}, creating the directory and a fresh key pair if there
   * is none. Writes a missing public key file from the private key.
   *
   * @throws IOException if a file cannot be read or written, a file is not an Ed25519 key of the
   *     expected PEM type, the public key file does not belong to the private key, or only the
   *     public key file exists (creating a new private key would orphan every verifier of it)
   */
  public static DemoIssuerKey loadOrCreate(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);

    if (!Files.exists(privateFile)) {
      if (Files.exists(publicFile)) {
        throw new IOException(
            "found " + publicFile + " but not its private key " + privateFile
                + "; restore the private key, or delete the public key to create a new issuer");
      }
      Ed25519PrivateKeyParameters fresh = new Ed25519PrivateKeyParameters(new SecureRandom());
      try {
        OwnerOnlyFile.createNew(privateFile, privatePem(fresh));
      } catch (FileAlreadyExistsException raced) {
        // Another process created the key first; use theirs, read below.
      }
    }

    Ed25519PrivateKeyParameters privateKey = readPrivateKey(privateFile);
    byte[] expectedPublic = publicPem(privateKey.generatePublicKey());
    if (!Files.exists(publicFile)) {
      try {
        Files.write(publicFile, expectedPublic, StandardOpenOption.CREATE_NEW);
      } catch (FileAlreadyExistsException raced) {
        // Checked against the private key below like any existing file.
      }
    }
    Ed25519PublicKeyParameters publicKey = readPublicKey(publicFile);
    if (!Arrays.equals(publicKey.getEncoded(), privateKey.generatePublicKey().getEncoded())) {
      throw new IOException(
          publicFile + " does not hold the public key of " + privateFile
              + "; delete the public key file to have it written again");
    }
    return new DemoIssuerKey(privateKey, publicFile);
  }

  /** The SubjectPublicKeyInfo PEM file that verifiers (the gateway) load. */
  public Path publicKeyPem() {
    return publicKeyPem;
  }

  /**
   * The JWS "kid": lower-case hex of the first 8 bytes of SHA-256 over the raw 32-byte public
   * key, so verifiers holding several issuer keys can pick the right one.
   */
  public String keyId() {
    return keyId;
  }

  /** An Ed25519 signature (RFC 8032) over {@code data}. */
  byte[] sign(byte[] data) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(data, 0, data.length);
    return signer.generateSignature();
  }

  private static String keyIdOf(Ed25519PublicKeyParameters publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return HexFormat.of().formatHex(digest, 0, KEY_ID_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  // PKCS#8 version 1 without the optional public key, the form OpenSSL writes and every reader
  // accepts (RFC 8410 section 7).
  private static byte[] privatePem(Ed25519PrivateKeyParameters key) throws IOException {
    PrivateKeyInfo info =
        new PrivateKeyInfo(
            new AlgorithmIdentifier(ID_ED25519),
            new DEROctetString(key.getEncoded()));
    return pem(PRIVATE_PEM_TYPE, info.getEncoded(ASN1Encoding.DER));
  }

  private static byte[] publicPem(Ed25519PublicKeyParameters key) throws IOException {
    SubjectPublicKeyInfo info =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(ID_ED25519), key.getEncoded());
    return pem(PUBLIC_PEM_TYPE, info.getEncoded(ASN1Encoding.DER));
  }

  private static byte[] pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static Ed25519PrivateKeyParameters readPrivateKey(Path file) throws IOException {
    byte[] der = readPem(file, PRIVATE_PEM_TYPE);
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a PKCS#8 private key: " + e.getMessage(), e);
    }
    if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
      throw new IOException(
          file + " must hold an Ed25519 private key, found " + key.getClass().getSimpleName());
    }
    return ed25519;
  }

  private static Ed25519PublicKeyParameters readPublicKey(Path file) throws IOException {
    byte[] der = readPem(file, PUBLIC_PEM_TYPE);
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a SubjectPublicKeyInfo public key: " + e.getMessage(), e);
    }
    if (!(key instanceof Ed25519PublicKeyParameters ed25519)) {
      throw new IOException(
          file + " must hold an Ed25519 public key, found " + key.getClass().getSimpleName());
    }
    return ed25519;
  }

  private static byte[] readPem(Path file, String expectedType) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    PemObject pem;
    try (PemReader reader = new PemReader(new StringReader(text))) {
      pem = reader.readPemObject();
    }
    if (pem == null) {
      throw new IOException(file + " holds no PEM block; expected \"-----BEGIN " + expectedType + "-----\"");
    }
    if (!pem.getType().equals(expectedType)) {
      throw new IOException(
          file + " must hold a PEM block of type \"" + expectedType + "\", found \"" + pem.getType() + "\"");
    }
    return pem.getContent();
  }

  @Override
  public String toString() {
    return "DemoIssuerKey[kid=" + keyId + ", public=" + publicKeyPem + "]";
  }
}
