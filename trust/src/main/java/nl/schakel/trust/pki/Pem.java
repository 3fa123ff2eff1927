package nl.schakel.trust.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import nl.schakel.trust.io.OwnerOnlyFile;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM files of the federation PKI, as OpenSSL, Netty and the JDK read them: "CERTIFICATE" blocks
 * (RFC 7468 section 5) and PKCS#8 "PRIVATE KEY" blocks (section 10). Messages name the file and
 * never quote its content: a key file's content is the secret.
 */
final class Pem {

  static final String CERTIFICATE = "CERTIFICATE";
  static final String PRIVATE_KEY = "PRIVATE KEY";

  /** A PEM file of a key or a short chain is a few KiB; anything much larger is not one. */
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private Pem() {}

  static String encode(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM to a string", e);
    }
    return out.toString();
  }

  /** Writes certificates to a new file; refuses to replace one, like every credential file. */
  static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
    StringBuilder text = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        text.append(encode(CERTIFICATE, certificate.getEncoded()));
      } catch (CertificateException e) {
        throw new IllegalStateException("cannot DER-encode a certificate", e);
      }
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
  }

  /** Writes a PKCS#8 private key to a new file readable by its owner only (0600). */
  static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    OwnerOnlyFile.createNew(
        file, encode(PRIVATE_KEY, key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Every certificate in {@code file}, in file order.
   *
   * @throws IOException if unreadable, empty, or holding anything but "CERTIFICATE" blocks
   */
  static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<PemObject> blocks = readBlocks(file, CERTIFICATE);
    List<X509Certificate> certificates = new ArrayList<>(blocks.size());
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("X.509 is not available in this Java runtime", e);
    }
    for (int i = 0; i < blocks.size(); i++) {
      try (InputStream in = new ByteArrayInputStream(blocks.get(i).getContent())) {
        certificates.add((X509Certificate) factory.generateCertificate(in));
      } catch (CertificateException e) {
        throw new IOException(
            file + ": PEM block " + (i + 1) + " is not a DER X.509 certificate (RFC 5280)");
      }
    }
    return certificates;
  }

  /**
   * The PKCS#8 private key in {@code file}, of JCA algorithm {@code algorithm} (e.g. "EC").
   *
   * @throws IOException if unreadable, not exactly one "PRIVATE KEY" block, or another algorithm
   */
  static PrivateKey readPrivateKey(Path file, String algorithm) throws IOException {
    List<PemObject> blocks = readBlocks(file, PRIVATE_KEY);
    if (blocks.size() != 1) {
      throw new IOException(
          file + " must hold exactly one \"" + PRIVATE_KEY + "\" block, found " + blocks.size());
    }
    try {
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0).getContent()));
    } catch (GeneralSecurityException | RuntimeException e) {
      // The parser's message may quote bytes of the secret: not repeated.
      throw new IOException(file + " does not hold a PKCS#8 " + algorithm + " private key");
    }
  }

  private static List<PemObject> readBlocks(Path file, String expectedType) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException(
          file + " is larger than " + MAX_FILE_BYTES + " bytes; a PEM credential file is a few KiB");
    }
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader =
        new PemReader(new StringReader(new String(bytes, StandardCharsets.US_ASCII)))) {
      for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
        blocks.add(block);
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a readable PEM file");
    }
    for (PemObject block : blocks) {
      if (!block.getType().equals(expectedType)) {
        throw new IOException(
            file + " must hold \"" + expectedType + "\" PEM blocks only, found \""
                + block.getType() + "\"");
      }
    }
    if (blocks.isEmpty()) {
      throw new IOException(
          file + " holds no PEM block; expected \"-----BEGIN " + expectedType + "-----\"");
    }
    return blocks;
  }
}
