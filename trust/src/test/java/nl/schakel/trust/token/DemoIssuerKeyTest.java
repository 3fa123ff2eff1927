package nl.schakel.trust.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoIssuerKeyTest {

  @TempDir Path dir;

  @Test
  void createsAPrivateAndAPublicKeyPemInANewDirectory() throws Exception {
    Path keys = dir.resolve("issuer");

    DemoIssuerKey key = DemoIssuerKey.loadOrCreate(keys);

    assertThat(key.publicKeyPem()).isEqualTo(keys.resolve("issuer.pub.pem"));
    assertThat(Files.readString(keys.resolve("issuer.key.pem")))
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(Files.readString(key.publicKeyPem()))
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
  }

  @Test
  void makesThePrivateKeyReadableByItsOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));

    DemoIssuerKey.loadOrCreate(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("issuer.key.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void loadsTheSameKeyOnTheNextRun() throws Exception {
    DemoIssuerKey first = DemoIssuerKey.loadOrCreate(dir);
    String privatePem = Files.readString(dir.resolve("issuer.key.pem"));

    DemoIssuerKey second = DemoIssuerKey.loadOrCreate(dir);

    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(Files.readString(dir.resolve("issuer.key.pem"))).isEqualTo(privatePem);
  }

  @Test
  void writesStandardPemsThatTheJdkReadsAsAMatchingEd25519Pair() throws Exception {
    DemoIssuerKey key = DemoIssuerKey.loadOrCreate(dir);
    KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
    PrivateKey privateKey =
        ed25519.generatePrivate(new PKCS8EncodedKeySpec(pemBody(dir.resolve("issuer.key.pem"))));
    PublicKey publicKey =
        ed25519.generatePublic(new X509EncodedKeySpec(pemBody(key.publicKeyPem())));

    byte[] data = "schakel".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(privateKey);
    signer.update(data);
    byte[] jdkSignature = signer.sign();

    // Ed25519 is deterministic (RFC 8032), so both implementations produce the same signature.
    assertThat(key.sign(data)).isEqualTo(jdkSignature);
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey);
    verifier.update(data);
    assertThat(verifier.verify(key.sign(data))).isTrue();
  }

  @Test
  void keyIdIsTheFirstEightBytesOfTheSha256OfTheRawPublicKey() throws Exception {
    DemoIssuerKey key = DemoIssuerKey.loadOrCreate(dir);
    byte[] spki = pemBody(key.publicKeyPem());
    byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);

    byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);

    assertThat(key.keyId())
        .hasSize(16)
        .isEqualTo(HexFormat.of().formatHex(Arrays.copyOf(digest, 8)));
  }

  @Test
  void differentDirectoriesGetDifferentKeys() throws Exception {
    assertThat(DemoIssuerKey.loadOrCreate(dir.resolve("a")).keyId())
        .isNotEqualTo(DemoIssuerKey.loadOrCreate(dir.resolve("b")).keyId());
  }

  @Test
  void rewritesAMissingPublicKeyFromThePrivateKey() throws Exception {
    DemoIssuerKey first = DemoIssuerKey.loadOrCreate(dir);
    String publicPem = Files.readString(first.publicKeyPem());
    Files.delete(first.publicKeyPem());

    DemoIssuerKey second = DemoIssuerKey.loadOrCreate(dir);

    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(Files.readString(second.publicKeyPem())).isEqualTo(publicPem);
  }

  @Test
  void refusesToReplaceALostPrivateKeyWhileItsPublicKeyIsStillOut() throws Exception {
    DemoIssuerKey.loadOrCreate(dir);
    Files.delete(dir.resolve("issuer.key.pem"));

    assertThatThrownBy(() -> DemoIssuerKey.loadOrCreate(dir))
        .hasMessageContaining("issuer.pub.pem")
        .hasMessageContaining("delete the public key to create a new issuer");
    assertThat(dir.resolve("issuer.key.pem")).doesNotExist();
  }

  @Test
  void rejectsAPublicKeyFileThatBelongsToAnotherKey() throws Exception {
    DemoIssuerKey.loadOrCreate(dir.resolve("a"));
    DemoIssuerKey other = DemoIssuerKey.loadOrCreate(dir.resolve("b"));
    Files.copy(
        other.publicKeyPem(),
        dir.resolve("a").resolve("issuer.pub.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> DemoIssuerKey.loadOrCreate(dir.resolve("a")))
        .hasMessageContaining("does not hold the public key of");
  }

  @Test
  void rejectsAPrivateKeyFileThatIsNotPemNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("issuer.key.pem"), "hello\n");

    assertThatThrownBy(() -> DemoIssuerKey.loadOrCreate(dir))
        .hasMessageContaining(dir.resolve("issuer.key.pem").toString())
        .hasMessageContaining("no PEM block");
  }

  @Test
  void rejectsAPublicKeyWhereThePrivateKeyShouldBe() throws Exception {
    DemoIssuerKey key = DemoIssuerKey.loadOrCreate(dir.resolve("a"));
    Files.copy(key.publicKeyPem(), dir.resolve("issuer.key.pem"));

    assertThatThrownBy(() -> DemoIssuerKey.loadOrCreate(dir))
        .hasMessageContaining("must hold a PEM block of type \"PRIVATE KEY\", found \"PUBLIC KEY\"");
  }

  @Test
  void printsItsKeyIdButNoKeyMaterial() throws Exception {
    DemoIssuerKey key = DemoIssuerKey.loadOrCreate(dir);
    String privateBase64 =
        Files.readString(dir.resolve("issuer.key.pem")).lines().skip(1).findFirst().orElseThrow();

    assertThat(key.toString()).contains(key.keyId()).doesNotContain(privateBase64);
  }

  private static byte[] pemBody(Path pem) throws Exception {
    String base64 =
        Files.readString(pem).lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
    return Base64.getDecoder().decode(base64);
  }
}
