package nl.schakel.trust.sign;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Ed25519 keys as the PEM files OpenSSL writes and the JDK reads (RFC 8410): PKCS#8 "PRIVATE KEY"
 * version 1 without the optional public key (section 7), and SubjectPublicKeyInfo "PUBLIC KEY"
 * (section 4).
 */
final class Ed25519Pem {

  static final String PRIVATE_TYPE = "PRIVATE KEY";
  static final String PUBLIC_TYPE = "PUBLIC KEY";

  /** id-Ed25519, RFC 8410 section 3. */
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
  /** A PEM key file is a few hundred bytes; anything much larger is not one. */
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private Ed25519Pem() {}

  static String privatePem(Ed25519PrivateKeyParameters key) {
    try {
      PrivateKeyInfo info =
          new PrivateKeyInfo(new AlgorithmIdentifier(ID_ED25519), new DEROctetString(key.getEncoded()));
      return pem(PRIVATE_TYPE, info.getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an Ed25519 private key", e);
    }
  }

  static String publicPem(byte[] rawPublicKey) {
    try {
      SubjectPublicKeyInfo info =
          new SubjectPublicKeyInfo(new AlgorithmIdentifier(ID_ED25519), rawPublicKey);
      return pem(PUBLIC_TYPE, info.getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an Ed25519 public key", e);
    }
  }

  /**
   * The private key in {@code file}. Messages name the file, never its content.
   *
   * @throws IOException if unreadable, not exactly one "PRIVATE KEY" PEM block, or not Ed25519
   */
  static Ed25519PrivateKeyParameters readPrivate(Path file) throws IOException {
    byte[] der = readPem(file, PRIVATE_TYPE);
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      // The parser's message may quote bytes of the secret: not repeated.
      throw new IOException(file + " does not hold a PKCS#8 private key (RFC 5958)");
    }
    if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
      throw new IOException(
          file + " must hold an Ed25519 private key, found " + algorithmName(key));
    }
    return ed25519;
  }

  /**
   * The raw 32-byte public key in {@code file}.
   *
   * @throws IOException if unreadable, not exactly one "PUBLIC KEY" PEM block, or not Ed25519
   */
  static byte[] readPublic(Path file) throws IOException {
    byte[] der = readPem(file, PUBLIC_TYPE);
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          file + " does not hold a SubjectPublicKeyInfo public key (RFC 5280): " + e.getMessage());
    }
    if (!(key instanceof Ed25519PublicKeyParameters ed25519)) {
      throw new IOException(file + " must hold an Ed25519 public key, found " + algorithmName(key));
    }
    return ed25519.getEncoded();
  }

  private static String algorithmName(AsymmetricKeyParameter key) {
    return key.getClass().getSimpleName().replace("KeyParameters", "").replace("Parameters", "");
  }

  private static String pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    }
    return out.toString();
  }

  private static byte[] readPem(Path file, String expectedType) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException(
          file + " is larger than " + MAX_FILE_BYTES + " bytes; a PEM key file is a few hundred");
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    PemObject first;
    PemObject second;
    try (PemReader reader = new PemReader(new StringReader(text))) {
      first = reader.readPemObject();
      second = first == null ? null : reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          file + " is not a readable PEM file; expected one \"-----BEGIN " + expectedType
              + "-----\" block");
    }
    if (first == null) {
      throw new IOException(
          file + " holds no PEM block; expected \"-----BEGIN " + expectedType + "-----\"");
    }
    if (!first.getType().equals(expectedType)) {
      throw new IOException(
          file + " must hold a PEM block of type \"" + expectedType + "\", found \""
              + first.getType() + "\"");
    }
    if (second != null) {
      throw new IOException(
          file + " must hold one PEM block, found a second one of type \"" + second.getType()
              + "\"");
    }
    return first.getContent();
  }
}
