package nl.schakel.trust.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files as OpenSSL and the JDK write and read them (RFC 8410 PEM). */
class KeyFilesTest {

  @TempDir Path dir;

  private final SigningKey key = SigningKey.fromSeed(Vectors.rfc8032Test1().seed());

  @Test
  void writesAPrivateKeyThatReadsBackAsTheSameKey() throws Exception {
    Path file = dir.resolve("politie.key.pem");

    key.writeTo(file);
    SigningKey read = SigningKey.readPem(file);

    assertThat(Files.readString(file))
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(read.keyId()).isEqualTo(key.keyId());
    assertThat(read.sign(new byte[] {1})).isEqualTo(key.sign(new byte[] {1}));
  }

  @Test
  void writesThePrivateKeyReadableByItsOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("politie.key.pem");

    key.writeTo(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void neverOverwritesAnExistingKeyFile() throws Exception {
    Path file = dir.resolve("politie.key.pem");
    Files.writeString(file, "the old key\n");

    assertThatThrownBy(() -> key.writeTo(file)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("the old key\n");
  }

  @Test
  void writesAPublicKeyThatReadsBackAsTheSameKey() throws Exception {
    Path file = dir.resolve("politie.pub.pem");
    Files.writeString(file, key.verifyingKey().toPem());

    assertThat(Files.readString(file))
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    assertThat(VerifyingKey.readPem(file)).isEqualTo(key.verifyingKey());
  }

  @Test
  void theJdkReadsBothKeyFilesAndTheKeysWork() throws Exception {
    key.writeTo(dir.resolve("k.pem"));
    KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
    var privateKey = ed25519.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(dir.resolve("k.pem")))));
    var publicKey = ed25519.generatePublic(new X509EncodedKeySpec(der(key.verifyingKey().toPem())));
    byte[] message = "covenant".getBytes(StandardCharsets.US_ASCII);
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(privateKey);
    jdk.update(message);
    byte[] jdkSignature = jdk.sign();

    assertThat(jdkSignature).isEqualTo(key.sign(message));
    jdk.initVerify(publicKey);
    jdk.update(message);
    assertThat(jdk.verify(key.sign(message))).isTrue();
  }

  @Test
  void readsKeyFilesTheJdkWrote() throws Exception {
    var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path privateFile = dir.resolve("jdk.key.pem");
    Path publicFile = dir.resolve("jdk.pub.pem");
    Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));

    SigningKey read = SigningKey.readPem(privateFile);

    assertThat(read.verifyingKey()).isEqualTo(VerifyingKey.readPem(publicFile));
  }

  @Test
  void refusesAPublicKeyFileWhereAPrivateKeyIsExpected() throws Exception {
    Path file = dir.resolve("swapped.pem");
    Files.writeString(file, key.verifyingKey().toPem());

    assertThatThrownBy(() -> SigningKey.readPem(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + " must hold a PEM block of type \"PRIVATE KEY\", found \"PUBLIC KEY\"");
  }

  @Test
  void refusesAKeyOfAnotherAlgorithm() throws Exception {
    var ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
    Path privateFile = dir.resolve("ec.key.pem");
    Path publicFile = dir.resolve("ec.pub.pem");
    Files.writeString(privateFile, pem("PRIVATE KEY", ec.getPrivate().getEncoded()));
    Files.writeString(publicFile, pem("PUBLIC KEY", ec.getPublic().getEncoded()));

    assertThatThrownBy(() -> SigningKey.readPem(privateFile))
        .isInstanceOf(IOException.class)
        .hasMessage(privateFile + " must hold an Ed25519 private key, found ECPrivate");
    assertThatThrownBy(() -> VerifyingKey.readPem(publicFile))
        .isInstanceOf(IOException.class)
        .hasMessage(publicFile + " must hold an Ed25519 public key, found ECPublic");
  }

  @Test
  void refusesAFileWithTwoKeys() throws Exception {
    Path file = dir.resolve("two.pub.pem");
    Files.writeString(file, key.verifyingKey().toPem() + key.verifyingKey().toPem());

    assertThatThrownBy(() -> VerifyingKey.readPem(file))
        .hasMessage(file + " must hold one PEM block, found a second one of type \"PUBLIC KEY\"");
  }

  @Test
  void refusesAFileWithoutPem() throws Exception {
    Path file = dir.resolve("empty.pem");
    Files.writeString(file, "not a key\n");

    assertThatThrownBy(() -> VerifyingKey.readPem(file))
        .hasMessage(file + " holds no PEM block; expected \"-----BEGIN PUBLIC KEY-----\"");
  }

  @Test
  void neverQuotesTheContentOfABrokenPrivateKeyFile() throws Exception {
    Path file = dir.resolve("broken.key.pem");
    byte[] junk = HexFormat.of().parseHex("3003020100deadbeefcafe");
    Files.writeString(file, pem("PRIVATE KEY", junk));

    assertThatThrownBy(() -> SigningKey.readPem(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + " does not hold a PKCS#8 private key (RFC 5958)");
  }

  private static byte[] der(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
