package nl.schakel.trust.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the demo tokens verify with the gateway's JWT library (Vert.x auth-jwt 5.0.7),
 * configured the way the gateway is: the issuer's public key PEM, algorithm EdDSA, issuer and
 * audience pinned. Vert.x checks expiry against the real clock, so tokens here are minted with a
 * clock fixed at the moment the test runs.
 */
class VertxJwtInteropTest {

  private static final String ISSUER = "https://demo.schakel.local/issuer";
  private static final String AUDIENCE = "schakel-gateway";

  private static Vertx vertx;

  @TempDir static Path issuerDir;
  @TempDir static Path otherIssuerDir;

  private static DemoIssuerKey issuer;
  private static JWTAuth gateway;

  @BeforeAll
  static void startGatewayVerifier() throws Exception {
    vertx = Vertx.vertx();
    issuer = DemoIssuerKey.loadOrCreate(issuerDir);
    gateway = verifierFor(issuer, null);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JWTAuth verifierFor(DemoIssuerKey key, String keyId) throws Exception {
    PubSecKeyOptions publicKey =
        new PubSecKeyOptions().setAlgorithm("EdDSA").setBuffer(Files.readString(key.publicKeyPem()));
    if (keyId != null) {
      publicKey.setId(keyId);
    }
    return JWTAuth.create(
        vertx,
        new JWTAuthOptions()
            .addPubSecKey(publicKey)
            .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE))));
  }

  private static Clock now() {
    return Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
  }

  private static AnalystClaims claims(String issuer, String audience, Duration ttl) {
    return new AnalystClaims(
        issuer, audience, "gemeente-utrecht", "burgemeester.utrecht", List.of("burgemeester"), ttl);
  }

  private static User authenticate(JWTAuth verifier, String token) throws Exception {
    try {
      return verifier
          .authenticate(new TokenCredentials(token))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void gatewayAcceptsAFreshTokenAndSeesItsClaims() throws Exception {
    Clock clock = now();
    String token = new TokenMinter(issuer, clock).mint(claims(ISSUER, AUDIENCE, Duration.ofHours(1)));

    User user = authenticate(gateway, token);

    JsonObject principal = user.principal();
    assertThat(principal.getString("iss")).isEqualTo(ISSUER);
    assertThat(principal.getString("aud")).isEqualTo(AUDIENCE);
    assertThat(principal.getString("sub")).isEqualTo("burgemeester.utrecht");
    assertThat(principal.getString("org")).isEqualTo("gemeente-utrecht");
    assertThat(principal.getJsonArray("roles")).containsExactly("burgemeester");
    // Vert.x moves the time claims out of the principal into the user's attributes.
    assertThat(user.attributes().getLong("exp")).isEqualTo(clock.instant().getEpochSecond() + 3600);
    assertThat(user.expired()).isFalse();
  }

  @Test
  void gatewayPinnedToTheKeyIdAcceptsTheToken() throws Exception {
    JWTAuth pinned = verifierFor(issuer, issuer.keyId());
    String token = new TokenMinter(issuer, now()).mint(claims(ISSUER, AUDIENCE, Duration.ofMinutes(5)));

    assertThat(authenticate(pinned, token).principal().getString("org")).isEqualTo("gemeente-utrecht");
  }

  @Test
  void gatewayRejectsAnExpiredToken() {
    Clock twoHoursAgo = Clock.offset(now(), Duration.ofHours(-2));
    String token =
        new TokenMinter(issuer, twoHoursAgo).mint(claims(ISSUER, AUDIENCE, Duration.ofHours(1)));

    assertThatThrownBy(() -> authenticate(gateway, token)).hasMessageContaining("token expired");
  }

  @Test
  void gatewayRejectsATokenFromAnotherIssuerKey() throws Exception {
    DemoIssuerKey impostor = DemoIssuerKey.loadOrCreate(otherIssuerDir);
    String token = new TokenMinter(impostor, now()).mint(claims(ISSUER, AUDIENCE, Duration.ofHours(1)));

    assertThatThrownBy(() -> authenticate(gateway, token)).hasMessage("Signature verification failed");
  }

  @Test
  void gatewayPinnedToTheKeyIdRejectsATokenFromAnotherIssuerKey() throws Exception {
    JWTAuth pinned = verifierFor(issuer, issuer.keyId());
    DemoIssuerKey impostor = DemoIssuerKey.loadOrCreate(otherIssuerDir);
    String token = new TokenMinter(impostor, now()).mint(claims(ISSUER, AUDIENCE, Duration.ofHours(1)));

    // Vert.x finds no key under the impostor's kid and names it.
    assertThatThrownBy(() -> authenticate(pinned, token)).hasMessageContaining(impostor.keyId());
  }

  @Test
  void gatewayRejectsATokenForAnotherAudience() {
    String token =
        new TokenMinter(issuer, now()).mint(claims(ISSUER, "another-gateway", Duration.ofHours(1)));

    assertThatThrownBy(() -> authenticate(gateway, token)).hasMessageContaining("audience");
  }

  @Test
  void gatewayRejectsATokenNamingAnotherIssuer() {
    String token =
        new TokenMinter(issuer, now())
            .mint(claims("https://evil.example/issuer", AUDIENCE, Duration.ofHours(1)));

    assertThatThrownBy(() -> authenticate(gateway, token)).hasMessageContaining("iss");
  }

  @Test
  void gatewayRejectsATokenWhosePartyWasChangedAfterSigning() {
    String token = new TokenMinter(issuer, now()).mint(claims(ISSUER, AUDIENCE, Duration.ofHours(1)));
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.replace("gemeente-utrecht", "politie-midden").getBytes());

    assertThatThrownBy(() -> authenticate(gateway, parts[0] + "." + forged + "." + parts[2]))
        .hasMessage("Signature verification failed");
  }
}
