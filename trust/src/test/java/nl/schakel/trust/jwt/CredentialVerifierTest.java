package nl.schakel.trust.jwt;

import static nl.schakel.trust.jwt.TestTokens.AUDIENCE;
import static nl.schakel.trust.jwt.TestTokens.ISSUER;
import static nl.schakel.trust.jwt.TestTokens.eddsa;
import static nl.schakel.trust.jwt.TestTokens.es256;
import static nl.schakel.trust.jwt.TestTokens.header;
import static nl.schakel.trust.jwt.TestTokens.jwks;
import static nl.schakel.trust.jwt.TestTokens.ps256;
import static nl.schakel.trust.jwt.TestTokens.quote;
import static nl.schakel.trust.jwt.TestTokens.rs256;
import static nl.schakel.trust.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.schakel.trust.jwt.CredentialException.Reason;
import nl.schakel.trust.jwt.TestTokens.Claims;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node checking the asker's credential itself, with the issuer configured for the asker's party. */
class CredentialVerifierTest {

  private static final Instant NOW = Instant.parse("2026-11-02T09:30:00Z");
  private static final String RIEC_ISSUER = "https://login.riec.example";

  private static KeyPair ec;
  private static KeyPair rsa;

  @TempDir Path dir;

  private DemoIssuerKey demoKey;
  private SigningKey politieKey;
  private SigningKey riecKey;
  private CredentialVerifier verifier;

  @BeforeAll
  static void generateJdkKeys() {
    ec = TestTokens.ecKeyPair();
    rsa = TestTokens.rsaKeyPair(2048);
  }

  @BeforeEach
  void configureIssuers() throws Exception {
    SecureRandom random = new SecureRandom(new byte[] {1});
    demoKey = DemoIssuerKey.loadOrCreate(dir);
    politieKey = SigningKey.generate(random);
    riecKey = SigningKey.generate(random);
    verifier =
        CredentialVerifier.create(
            List.of(
                new Issuer(
                    "politie", ISSUER, AUDIENCE,
                    IssuerKeys.readPem(demoKey.publicKeyPem()).and(IssuerKeys.of(politieKey.verifyingKey()))),
                new Issuer("riec", RIEC_ISSUER, AUDIENCE, IssuerKeys.of(riecKey.verifyingKey()))));
  }

  private String politieToken(Claims claims) {
    return token(header("EdDSA", politieKey.keyId().value()), claims.json(), eddsa(politieKey));
  }

  private String minted(Duration ttl, Instant at) {
    return new TokenMinter(demoKey, Clock.fixed(at, ZoneOffset.UTC))
        .mint(new AnalystClaims(ISSUER, AUDIENCE, "politie", "agent.jansen", List.of("analist"), ttl));
  }

  private static CredentialVerifier onlyPolitie(IssuerKeys keys) {
    return CredentialVerifier.create(List.of(new Issuer("politie", ISSUER, AUDIENCE, keys)));
  }

  /** Refused for {@code reason}, and the message gives nothing of the token away. */
  private static void refused(String token, ThrowingCallable call, Reason reason, String... parts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            CredentialException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.code()).isEqualTo(reason.code());
              assertThat(e.getMessage()).startsWith(reason.code() + ": ");
              for (String part : parts) {
                assertThat(e.getMessage()).contains(part);
              }
              if (token != null && !token.isBlank()) {
                for (String piece : token.split("\\.")) {
                  if (piece.length() > 8) {
                    assertThat(e.getMessage()).doesNotContain(piece);
                  }
                }
                assertThat(e.getMessage()).doesNotContain("agent.jansen");
              }
            });
  }

  private void refused(String token, Reason reason, String... parts) {
    refused(token, () -> verifier.verify(token, "politie", NOW), reason, parts);
  }

  // ------------------------------------------------------------------------------ accepted

  @Test
  void acceptsATokenMintedByTheDemoIssuer() throws Exception {
    String token = minted(Duration.ofMinutes(5), NOW);

    VerifiedCredential credential = verifier.verify(token, "politie", NOW.plusSeconds(10));

    assertThat(credential.party()).isEqualTo("politie");
    assertThat(credential.person()).isEqualTo("agent.jansen");
    assertThat(credential.roles()).containsExactly("analist");
    assertThat(credential.issuedAt()).isEqualTo(NOW);
    assertThat(credential.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(credential.tokenHash())
        .isEqualTo(HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void acceptsAnEs256TokenWithAPemKey() throws Exception {
    Path pem = dir.resolve("issuer-ec.pem");
    Files.writeString(pem, pem(ec.getPublic().getEncoded()));
    String token = token(header("ES256", null), Claims.politie(NOW).json(), es256(ec.getPrivate()));

    assertThat(onlyPolitie(IssuerKeys.readPem(pem)).verify(token, "politie", NOW).person())
        .isEqualTo("agent.jansen");
  }

  @Test
  void acceptsAnRs256TokenWithAPemKey() throws Exception {
    Path pem = dir.resolve("issuer-rsa.pem");
    Files.writeString(pem, pem(rsa.getPublic().getEncoded()));
    String token = token(header("RS256", null), Claims.politie(NOW).json(), rs256(rsa.getPrivate()));

    assertThat(onlyPolitie(IssuerKeys.readPem(pem)).verify(token, "politie", NOW).party())
        .isEqualTo("politie");
  }

  @Test
  void picksTheKeyOfAJwksByKid() throws Exception {
    IssuerKeys keys =
        IssuerKeys.fromJwks(
            jwks(
                TestTokens.rsaJwk((RSAPublicKey) rsa.getPublic(), "rsa-2026", null),
                TestTokens.ecJwk((ECPublicKey) ec.getPublic(), "ec-2026"),
                TestTokens.okpJwk(politieKey, "ed-2026")));
    CredentialVerifier jwksVerifier = onlyPolitie(keys);
    String claims = Claims.politie(NOW).json();

    assertThat(jwksVerifier.verify(
            token(header("ES256", "ec-2026"), claims, es256(ec.getPrivate())), "politie", NOW).party())
        .isEqualTo("politie");
    assertThat(jwksVerifier.verify(
            token(header("RS256", "rsa-2026"), claims, rs256(rsa.getPrivate())), "politie", NOW).party())
        .isEqualTo("politie");
    assertThat(jwksVerifier.verify(
            token(header("PS256", "rsa-2026"), claims, ps256(rsa.getPrivate())), "politie", NOW).party())
        .isEqualTo("politie");
    assertThat(jwksVerifier.verify(
            token(header("EdDSA", "ed-2026"), claims, eddsa(politieKey)), "politie", NOW).party())
        .isEqualTo("politie");
    assertThat(jwksVerifier.signatureChecks()).isEqualTo(4);
  }

  @Test
  void acceptsAnAudienceArrayThatContainsTheAudience() throws Exception {
    String token = politieToken(Claims.politie(NOW).with("aud", "[\"account\",\"schakel\"]"));

    assertThat(verifier.verify(token, "politie", NOW).roles()).containsExactly("analist", "teamleider");
  }

  @Test
  void acceptsAnEmptyRoleList() throws Exception {
    assertThat(verifier.verify(politieToken(Claims.politie(NOW).with("roles", "[]")), "politie", NOW).roles())
        .isEmpty();
  }

  // ------------------------------------------------------------------------------- the cache

  @Test
  void aCachedCredentialIsReturnedWithoutCheckingTheSignatureAgain() throws Exception {
    String token = politieToken(Claims.politie(NOW));

    VerifiedCredential first = verifier.verify(token, "politie", NOW);
    VerifiedCredential second = verifier.verify(token, "politie", NOW.plusSeconds(60));

    assertThat(second).isEqualTo(first);
    assertThat(verifier.signatureChecks()).isEqualTo(1);
  }

  @Test
  void aCachedCredentialStillExpires() throws Exception {
    String token = politieToken(Claims.politie(NOW));
    verifier.verify(token, "politie", NOW);

    refused(token, () -> verifier.verify(token, "politie", NOW.plusSeconds(300)), Reason.EXPIRED);
    assertThat(verifier.signatureChecks()).isEqualTo(1);
  }

  @Test
  void aCachedCredentialIsStillRefusedForAnotherParty() throws Exception {
    String token = politieToken(Claims.politie(NOW));
    verifier.verify(token, "politie", NOW);

    refused(token, () -> verifier.verify(token, "riec", NOW), Reason.WRONG_PARTY,
        "analyst of 'politie'", "for party riec");
  }

  @Test
  void aRefusedCredentialIsNotCached() {
    String token = politieToken(Claims.politie(NOW).with("aud", quote("elders")));

    refused(token, Reason.WRONG_AUDIENCE);
    refused(token, Reason.WRONG_AUDIENCE);
    assertThat(verifier.signatureChecks()).isEqualTo(2);
  }

  // ------------------------------------------------------------------------------- refused

  @Test
  void refusesNoCredential() {
    refused(null, () -> verifier.verify(null, "politie", NOW), Reason.MISSING);
    refused("", () -> verifier.verify("  ", "politie", NOW), Reason.MISSING);
  }

  @Test
  void refusesATokenOverEightKibibytes() {
    String token =
        politieToken(Claims.politie(NOW).with("padding", quote("x".repeat(CredentialVerifier.MAX_TOKEN_CHARS))));

    refused(token, Reason.MALFORMED, "at most 8192");
  }

  @Test
  void refusesAnUnsignedToken() {
    String token = TestTokens.b64("{\"alg\":\"none\"}") + "." + TestTokens.b64(Claims.politie(NOW).json()) + ".";

    refused(token, Reason.INVALID_SIGNATURE, "alg none");
  }

  @Test
  void refusesAnHmacTokenKeyedWithTheIssuersPublicKey() throws Exception {
    // The classic confusion: HS256 with the RSA public key as the shared secret.
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
    String token = token(header("HS256", "rsa-2026"), Claims.politie(NOW).json(), mac::doFinal);
    CredentialVerifier rsaOnly =
        onlyPolitie(IssuerKeys.fromJwks(jwks(TestTokens.rsaJwk((RSAPublicKey) rsa.getPublic(), "rsa-2026", null))));

    refused(token, () -> rsaOnly.verify(token, "politie", NOW), Reason.INVALID_SIGNATURE,
        "'HS256'", "EdDSA, ES256, RS256 or PS256");
  }

  @Test
  void refusesAnAlgorithmThatDoesNotFitTheKeyTheKidNames() {
    CredentialVerifier rsaOnly =
        onlyPolitie(IssuerKeys.fromJwks(jwks(TestTokens.rsaJwk((RSAPublicKey) rsa.getPublic(), "rsa-2026", null))));
    String token = token(header("ES256", "rsa-2026"), Claims.politie(NOW).json(), es256(ec.getPrivate()));

    refused(token, () -> rsaOnly.verify(token, "politie", NOW), Reason.INVALID_SIGNATURE,
        "signed with ES256", "cannot verify that algorithm (RSA)");
    assertThat(rsaOnly.signatureChecks()).isZero();
  }

  @Test
  void refusesPs256WhenTheJwkIsRestrictedToRs256() {
    CredentialVerifier rs256Only =
        onlyPolitie(IssuerKeys.fromJwks(jwks(TestTokens.rsaJwk((RSAPublicKey) rsa.getPublic(), "rsa-2026", "RS256"))));
    String token = token(header("PS256", "rsa-2026"), Claims.politie(NOW).json(), ps256(rsa.getPrivate()));

    refused(token, () -> rs256Only.verify(token, "politie", NOW), Reason.INVALID_SIGNATURE,
        "(RSA for RS256)");
  }

  @Test
  void refusesAKidTheIssuerDoesNotHave() {
    String token = token(header("EdDSA", "0123456789abcdef"), Claims.politie(NOW).json(), eddsa(politieKey));

    refused(token, Reason.UNKNOWN_KEY, "no key with kid '0123456789abcdef'");
  }

  @Test
  void refusesATokenSignedByAnotherKey() {
    SigningKey stranger = SigningKey.generate(new SecureRandom(new byte[] {9}));
    String token = token(header("EdDSA", null), Claims.politie(NOW).json(), eddsa(stranger));

    refused(token, Reason.INVALID_SIGNATURE, "does not verify with any of the 2 keys");
  }

  @Test
  void refusesATokenWhoseClaimsWereChangedAfterSigning() {
    String[] parts = politieToken(Claims.politie(NOW)).split("\\.");
    String forged = parts[0] + "." + TestTokens.b64(Claims.politie(NOW).with("roles", "[\"burgemeester\"]").json())
        + "." + parts[2];

    refused(forged, Reason.INVALID_SIGNATURE);
  }

  @Test
  void refusesACriticalHeaderExtension() {
    String token = token("{\"alg\":\"EdDSA\",\"crit\":[\"exp\"],\"exp\":1}", Claims.politie(NOW).json(),
        eddsa(politieKey));

    refused(token, Reason.MALFORMED, "\"crit\"");
  }

  @Test
  void refusesAnotherIssuer() {
    refused(politieToken(Claims.politie(NOW).with("iss", quote("https://evil.example"))),
        Reason.WRONG_ISSUER, "'https://evil.example'", "expected '" + ISSUER + "'");
  }

  @Test
  void refusesAPartyWithoutConfiguredIssuer() {
    String token = politieToken(Claims.politie(NOW).with("org", quote("zvh")));

    refused(token, () -> verifier.verify(token, "zvh", NOW), Reason.WRONG_ISSUER,
        "no credential issuer is configured for party zvh");
  }

  @Test
  void refusesAnotherAudience() {
    refused(politieToken(Claims.politie(NOW).with("aud", "[\"account\"]")), Reason.WRONG_AUDIENCE,
        "does not include 'schakel'");
  }

  @Test
  void refusesATokenClaimingAnotherPartysOrg() {
    refused(politieToken(Claims.politie(NOW).with("org", quote("riec"))), Reason.WRONG_PARTY,
        "analyst of 'riec'");
  }

  @Test
  void onePartysIssuerCannotVouchForAnotherPartysAnalyst() {
    // Politie's issuer signs a token that claims to be a riec analyst, with riec's issuer name.
    String token =
        politieToken(Claims.politie(NOW).with("org", quote("riec")).with("iss", quote(RIEC_ISSUER)));

    refused(token, () -> verifier.verify(token, "riec", NOW), Reason.UNKNOWN_KEY);
    String unnamed = token(header("EdDSA", null),
        Claims.politie(NOW).with("org", quote("riec")).with("iss", quote(RIEC_ISSUER)).json(),
        eddsa(politieKey));
    refused(unnamed, () -> verifier.verify(unnamed, "riec", NOW), Reason.INVALID_SIGNATURE);
  }

  @Test
  void refusesAnExpiredToken() {
    String token = politieToken(Claims.politie(NOW));

    refused(token, () -> verifier.verify(token, "politie", NOW.plusSeconds(300)), Reason.EXPIRED,
        "expired at 2026-11-02T09:35:00Z");
  }

  @Test
  void refusesATokenIssuedBeyondTheClockSkewInTheFuture() throws Exception {
    refused(politieToken(Claims.politie(NOW.plusSeconds(31))), Reason.NOT_YET_VALID,
        "valid from 2026-11-02T09:30:31Z");
    assertThat(verifier.verify(politieToken(Claims.politie(NOW.plusSeconds(30))), "politie", NOW).party())
        .isEqualTo("politie");
  }

  @Test
  void refusesATokenNotValidBeforeALaterTime() {
    refused(politieToken(Claims.politie(NOW).with("nbf", Long.toString(NOW.getEpochSecond() + 120))),
        Reason.NOT_YET_VALID);
  }

  @Test
  void refusesATokenLivingLongerThanFiveMinutes() throws Exception {
    refused(politieToken(Claims.politie(NOW).with("exp", Long.toString(NOW.getEpochSecond() + 301))),
        Reason.TOO_LONG_LIVED, "PT5M1S", "at most PT5M");
    refused(minted(Duration.ofHours(1), NOW), Reason.TOO_LONG_LIVED);
    assertThat(verifier.verify(minted(Duration.ofMinutes(5), NOW), "politie", NOW).party())
        .isEqualTo("politie");
  }

  @Test
  void refusesATokenWithoutIssuedAt() {
    refused(politieToken(Claims.politie(NOW).without("iat")), Reason.MALFORMED, "\"iat\" is required");
  }

  @Test
  void refusesAnEmptySubject() {
    refused(politieToken(Claims.politie(NOW).with("sub", quote(""))), Reason.MALFORMED, "\"sub\"");
  }

  @Test
  void refusesRolesThatAreNotAnArrayOfStrings() {
    refused(politieToken(Claims.politie(NOW).with("roles", quote("analist"))), Reason.MALFORMED, "\"roles\"");
    refused(politieToken(Claims.politie(NOW).with("roles", "[\"analist\",7]")), Reason.MALFORMED, "\"roles\"");
    refused(politieToken(Claims.politie(NOW).without("roles")), Reason.MALFORMED, "\"roles\"");
  }

  @Test
  void refusesADuplicateClaim() {
    // A second "org" that one parser reads and another ignores is a privilege escalation.
    String claims = Claims.politie(NOW).json().replace("}", ",\"org\":\"riec\"}");

    refused(politieTokenFromJson(claims), Reason.MALFORMED, "duplicate member name");
  }

  @Test
  void refusesSomethingThatIsNotACompactJws() {
    refused("not-a-token", Reason.MALFORMED, "found 1 parts");
    String token = politieToken(Claims.politie(NOW));
    refused(token + "=", Reason.MALFORMED, "must not be padded");
    refused(token + ".extra", Reason.MALFORMED, "found 4 parts");
  }

  private String politieTokenFromJson(String claimsJson) {
    return token(header("EdDSA", politieKey.keyId().value()), claimsJson, eddsa(politieKey));
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }
}
