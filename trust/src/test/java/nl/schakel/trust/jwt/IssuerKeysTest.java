package nl.schakel.trust.jwt;

import static nl.schakel.trust.jwt.TestTokens.jwks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.token.DemoIssuerKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an issuer's public keys from what OIDC providers and the demo issuer publish. */
class IssuerKeysTest {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  @TempDir Path dir;

  private final SigningKey ed25519 = SigningKey.generate(new SecureRandom(new byte[] {3}));

  @Test
  void namesTheDemoIssuersPemKeyByTheKidItsTokensCarry() throws Exception {
    DemoIssuerKey demo = DemoIssuerKey.loadOrCreate(dir);

    IssuerKeys keys = IssuerKeys.readPem(demo.publicKeyPem());

    assertThat(keys.keys()).singleElement()
        .satisfies(key -> assertThat(key.kid()).contains(demo.keyId()));
  }

  @Test
  void skipsKeysOfTypesAndUsesItDoesNotUnderstand() {
    KeyPair ec = TestTokens.ecKeyPair();
    IssuerKeys keys =
        IssuerKeys.fromJwks(
            jwks(
                "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\"}",
                "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"}",
                "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}",
                "{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
                "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
                TestTokens.ecJwk((ECPublicKey) ec.getPublic(), "ec-1")));

    assertThat(keys.size()).isEqualTo(1);
    assertThat(keys.toString()).isEqualTo("IssuerKeys[EC P-256 kid=ec-1]");
  }

  @Test
  void refusesAJwksWithoutAUsableKey() {
    assertThatThrownBy(() -> IssuerKeys.fromJwks(jwks("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no usable signing key");
  }

  @Test
  void refusesAJwksThatIsNotOne() {
    assertThatThrownBy(() -> IssuerKeys.fromJwks("{\"kids\":[]}"))
        .hasMessageContaining("\"keys\" array");
    assertThatThrownBy(() -> IssuerKeys.fromJwks("[]"))
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void refusesPrivateKeyMaterial() {
    String withD = TestTokens.okpJwk(ed25519, "ed").replace("}", ",\"d\":\"AAAA\"}");

    assertThatThrownBy(() -> IssuerKeys.fromJwks(jwks(withD)))
        .hasMessageContaining("keys[0] holds private key material");
  }

  @Test
  void refusesAnEcPointThatIsNotOnTheCurve() {
    ECPublicKey key = (ECPublicKey) TestTokens.ecKeyPair().getPublic();
    String offCurve =
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
            + B64.encodeToString(TestTokens.fixed(key.getW().getAffineX(), 32))
            + "\",\"y\":\""
            + B64.encodeToString(TestTokens.fixed(key.getW().getAffineY().add(BigInteger.ONE), 32))
            + "\"}";

    assertThatThrownBy(() -> IssuerKeys.fromJwks(jwks(offCurve)))
        .hasMessageContaining("keys[0]: (x, y) is not a point on P-256");
  }

  @Test
  void refusesACoordinateOfTheWrongLength() {
    assertThatThrownBy(
            () -> IssuerKeys.fromJwks(jwks("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}")))
        .hasMessageContaining("32 bytes each")
        .hasMessageContaining("found 3 and 3");
  }

  @Test
  void refusesAnEd25519KeyOfTheWrongLength() {
    assertThatThrownBy(() -> IssuerKeys.fromJwks(jwks("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}")))
        .hasMessageContaining("keys[0].x: an Ed25519 public key is 32 bytes, found 3 bytes");
  }

  @Test
  void refusesShortRsaKeys() {
    KeyPair weak = TestTokens.rsaKeyPair(1024);

    assertThatThrownBy(
            () -> IssuerKeys.fromJwks(jwks(TestTokens.rsaJwk((RSAPublicKey) weak.getPublic(), "weak", null))))
        .hasMessageContaining("2048 to 8192 bits, found 1024");
  }

  @Test
  void refusesAJwkWhoseAlgDoesNotFitItsKeyType() {
    String edAsRsa = TestTokens.okpJwk(ed25519, "ed").replace("}", ",\"alg\":\"RS256\"}");

    assertThatThrownBy(() -> IssuerKeys.fromJwks(jwks(edAsRsa)))
        .hasMessageContaining("keys[0] is a Ed25519 key but declares alg RS256");
  }

  @Test
  void refusesPaddedBase64url() {
    String padded = TestTokens.okpJwk(ed25519, "ed").replace("\",\"kid\"", "\",\"kid\"")
        .replaceFirst("\"x\":\"([^\"]*)\"", "\"x\":\"$1=\"");

    assertThatThrownBy(() -> IssuerKeys.fromJwks(jwks(padded)))
        .hasMessageContaining("keys[0].x: base64url must not be padded");
  }

  @Test
  void readsAJwksFile() throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, jwks(TestTokens.okpJwk(ed25519, "ed-1")), StandardCharsets.UTF_8);

    assertThat(IssuerKeys.readJwks(file).toString()).isEqualTo("IssuerKeys[Ed25519 kid=ed-1]");
  }

  @Test
  void refusesAPemFileWithAnotherCurve() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    Path file = dir.resolve("p384.pem");
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");

    assertThatThrownBy(() -> IssuerKeys.readPem(file)).hasMessageContaining("must be on curve P-256");
  }

  @Test
  void combinesKeysFromSeveralSources() {
    IssuerKeys combined =
        IssuerKeys.of(ed25519.verifyingKey())
            .and(IssuerKeys.fromJwks(jwks(TestTokens.ecJwk((ECPublicKey) TestTokens.ecKeyPair().getPublic(), "ec"))));

    assertThat(combined.size()).isEqualTo(2);
  }
}
