package nl.schakel.trust.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenMinterTest {

  private static final Instant NOW = Instant.parse("2026-11-02T09:30:00Z");

  @TempDir Path dir;

  private DemoIssuerKey key;
  private TokenMinter minter;

  @BeforeEach
  void createIssuer() throws Exception {
    key = DemoIssuerKey.loadOrCreate(dir);
    minter = new TokenMinter(key, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static AnalystClaims burgemeester(Duration ttl) {
    return new AnalystClaims(
        "https://demo.schakel.local/issuer",
        "schakel-gateway",
        "gemeente-utrecht",
        "burgemeester.utrecht",
        List.of("burgemeester", "oov-adviseur"),
        ttl);
  }

  @Test
  void headerNamesEdDsaJwtAndTheIssuerKeyId() {
    String token = minter.mint(burgemeester(Duration.ofMinutes(30)));

    assertThat(decode(token.split("\\.")[0]))
        .isEqualTo("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"" + key.keyId() + "\"}");
  }

  @Test
  void claimsCarryWhoIsAskingAndWhenTheTokenIsValid() {
    String token = minter.mint(burgemeester(Duration.ofMinutes(30)));

    JsonObject claims = new JsonObject(decode(token.split("\\.")[1]));
    assertThat(claims.getString("iss")).isEqualTo("https://demo.schakel.local/issuer");
    assertThat(claims.getString("aud")).isEqualTo("schakel-gateway");
    assertThat(claims.getString("sub")).isEqualTo("burgemeester.utrecht");
    assertThat(claims.getString("name")).isEqualTo("burgemeester.utrecht");
    assertThat(claims.getString("org")).isEqualTo("gemeente-utrecht");
    assertThat(claims.getJsonArray("roles")).containsExactly("burgemeester", "oov-adviseur");
    assertThat(claims.getLong("iat")).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.getLong("nbf")).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.getLong("exp")).isEqualTo(NOW.getEpochSecond() + 30 * 60);
    assertThat(UUID.fromString(claims.getString("jti"))).isNotNull();
    assertThat(claims.fieldNames())
        .containsExactlyInAnyOrder("iss", "aud", "sub", "name", "org", "roles", "iat", "nbf", "exp", "jti");
  }

  @Test
  void everyTokenGetsItsOwnId() {
    String first = minter.mint(burgemeester(Duration.ofMinutes(5)));
    String second = minter.mint(burgemeester(Duration.ofMinutes(5)));

    assertThat(new JsonObject(decode(first.split("\\.")[1])).getString("jti"))
        .isNotEqualTo(new JsonObject(decode(second.split("\\.")[1])).getString("jti"));
  }

  @Test
  void escapesNamesSoTheyCannotInjectClaims() {
    String sneaky = "jan\",\"org\":\"politie-midden\"\\ \u0001 Ünal";
    String token =
        minter.mint(
            new AnalystClaims("iss", "aud", "gemeente-utrecht", sneaky, List.of("a\"b"), Duration.ofMinutes(5)));

    JsonObject claims = new JsonObject(decode(token.split("\\.")[1]));
    assertThat(claims.getString("org")).isEqualTo("gemeente-utrecht");
    assertThat(claims.getString("sub")).isEqualTo(sneaky);
    assertThat(claims.getJsonArray("roles")).containsExactly("a\"b");
  }

  @Test
  void signatureVerifiesWithThePublishedPublicKeyOverHeaderDotPayload() throws Exception {
    String token = minter.mint(burgemeester(Duration.ofMinutes(5)));
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    assertThat(token).doesNotContain("=").doesNotContain("+").doesNotContain("/");

    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey());
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));

    assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  @Test
  void mintingForbiddenTtlsFailsBeforeAnythingIsSigned() {
    assertThatThrownBy(() -> minter.mint(burgemeester(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> minter.mint(burgemeester(Duration.ofHours(13))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT12H");
  }

  private PublicKey publicKey() throws Exception {
    String base64 =
        Files.readString(key.publicKeyPem()).lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static String decode(String base64url) {
    return new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
  }
}
