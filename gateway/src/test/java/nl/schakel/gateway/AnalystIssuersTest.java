package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.schakel.trust.token.AnalystClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway admits an analyst only on a token of the issuer configured for the analyst's own
 * party, and accepts the signature algorithms parties' OIDC providers use: EdDSA, ES256, RS256, PS256.
 */
class AnalystIssuersTest {
  @TempDir
  static Path dir;
  static TestFederation fed;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n");
    fed = new TestFederation(dir, records, Duration.ofSeconds(5), null);
  }

  @AfterAll
  static void stop() {
    fed.close();
  }

  static String personQuery() {
    return "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\","
        + "\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"}}";
  }

  @Test
  void refusesATokenOfOnePartysIssuerClaimingAnotherParty() throws Exception {
    String forged = fed.tokens.get("zvh").mint(new AnalystClaims(TestFederation.ISSUER, TestFederation.AUDIENCE,
        "riec", "m.mallory", List.of("analist"), Duration.ofMinutes(5)));
    long logged = fed.auditLog.size();

    HttpResponse<String> r = fed.post("/v1/queries", forged, personQuery());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    // riec's issuer does not hold the key zvh's issuer signed with.
    assertThat(new JsonObject(r.body()).getString("detail"))
        .containsAnyOf("credential-unknown-key", "credential-invalid-signature").doesNotContain(forged);
    assertThat(fed.questionsReceivedByNodes()).isZero();
    assertThat(fed.auditLog.size()).as("nothing is logged or charged to riec").isEqualTo(logged);
  }

  @Test
  void refusesATokenLivingTenMinutes() throws Exception {
    String token = fed.tokens.get("zvh").mint(new AnalystClaims(TestFederation.ISSUER, TestFederation.AUDIENCE,
        "zvh", "p.regisseur", List.of("procesregisseur"), Duration.ofMinutes(10)));

    HttpResponse<String> r = fed.post("/v1/queries", token, personQuery());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("detail")).contains("credential-too-long-lived");
    assertThat(fed.questionsReceivedByNodes()).isZero();
  }

  @Test
  void refusesATokenOfAPartyWithoutIssuerNamingTheConfiguredOnes() throws Exception {
    String token = fed.tokens.get("zvh").mint(new AnalystClaims(TestFederation.ISSUER, TestFederation.AUDIENCE,
        "woningcorporatie", "w.medewerker", List.of("analist"), Duration.ofMinutes(5)));

    HttpResponse<String> r = fed.get("/v1/partners", token);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("detail"))
        .contains("no issuer is configured for party 'woningcorporatie'").contains("zvh");
  }

  @Test
  void refusesAHeaderThatIsNoBearerToken() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fed.gateway.port() + "/v1/partners"))
            .header("Authorization", "Bearer not-a-jwt").GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void acceptsEs256AndPs256TokensOfIssuersWithEcAndRsaKeys() throws Exception {
    SecureRandom random = new SecureRandom();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"), random);
    KeyPair ecKey = ec.generateKeyPair();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048, random);
    KeyPair rsaKey = rsa.generateKeyPair();
    Path ecPem = writePem(dir.resolve("zvh-ec.pub.pem"), ecKey.getPublic());
    Path rsaPem = writePem(dir.resolve("riec-rsa.pub.pem"), rsaKey.getPublic());
    GatewayConfig c = fed.config;
    GatewayConfig config = new GatewayConfig(c.federation(), c.listen(), c.deadline(), c.nodes(), c.covenants(),
        c.partyKeys(), c.matchingKey(), c.auditKey(), dir.resolve("audit-es-ps"),
        List.of(new GatewayConfig.Analysts("zvh", "oidc/zvh", "schakel", List.of(ecPem), Optional.empty()),
            new GatewayConfig.Analysts("riec", "oidc/riec", "schakel", List.of(rsaPem), Optional.empty())),
        dir.resolve("state-es-ps"), c.pki());

    try (Gateway gateway = Gateway.start(config, fed.clock)) {
      String es256 = jwt("ES256", ecKey.getPrivate(), claims("oidc/zvh", "zvh"));
      String ps256 = jwt("PS256", rsaKey.getPrivate(), claims("oidc/riec", "riec"));
      String ps256AsZvh = jwt("PS256", rsaKey.getPrivate(), claims("oidc/zvh", "zvh"));

      assertThat(partners(gateway, es256).statusCode()).isEqualTo(200);
      assertThat(partners(gateway, ps256).statusCode()).isEqualTo(200);
      assertThat(partners(gateway, ps256AsZvh).statusCode()).as("riec's key cannot vouch for zvh").isEqualTo(401);
    }
  }

  private static HttpResponse<String> partners(Gateway gateway, String token) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/partners"))
            .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject claims(String issuer, String party) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", issuer).put("aud", "schakel").put("org", party).put("sub", "a.analist")
        .put("roles", new JsonArray().add("analist")).put("iat", now).put("exp", now + 300);
  }

  /** A compact JWS signed the way an OIDC provider signs it: ES256 in P1363 form, PS256 with a 32-byte salt. */
  private static String jwt(String alg, PrivateKey key, JsonObject claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(new JsonObject().put("alg", alg).put("typ", "JWT").encode()
        .getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature signer;
    if (alg.equals("ES256")) {
      signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    } else {
      signer = Signature.getInstance("RSASSA-PSS");
      signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    }
    signer.initSign(key);
    signer.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64.encodeToString(signer.sign());
  }

  private static Path writePem(Path file, PublicKey key) throws Exception {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
  }
}
