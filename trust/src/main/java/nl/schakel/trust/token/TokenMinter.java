package nl.schakel.trust.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Mints compact-serialised JWS analyst tokens (RFC 7515 section 7.1) signed with the demo issuer
 * key: header {"alg":"EdDSA","typ":"JWT","kid":...}; claims iss, aud, sub, org, name, roles,
 * iat, nbf, exp and jti. Thread-safe.
 */
public final class TokenMinter {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final DemoIssuerKey key;
  private final Clock clock;

  public TokenMinter(DemoIssuerKey key, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A signed token for {@code claims}, valid from now (per the clock, whole seconds) until now
   * plus the claims' ttl. The ttl bounds are enforced by {@link AnalystClaims}.
   */
  public String mint(AnalystClaims claims) {
    Objects.requireNonNull(claims, "claims");
    long issuedAt = clock.instant().getEpochSecond();
    long expiresAt = issuedAt + claims.ttl().toSeconds();

    String header =
        "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":" + Json.string(key.keyId()) + "}";
    String roles =
        claims.roles().stream().map(Json::string).collect(Collectors.joining(",", "[", "]"));
    String payload =
        "{\"iss\":" + Json.string(claims.issuer())
            + ",\"aud\":" + Json.string(claims.audience())
            + ",\"sub\":" + Json.string(claims.person())
            + ",\"org\":" + Json.string(claims.party())
            + ",\"name\":" + Json.string(claims.person())
            + ",\"roles\":" + roles
            + ",\"iat\":" + issuedAt
            + ",\"nbf\":" + issuedAt
            + ",\"exp\":" + expiresAt
            + ",\"jti\":" + Json.string(UUID.randomUUID().toString())
            + "}";

    String signingInput = base64url(header) + "." + base64url(payload);
    byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + BASE64URL.encodeToString(signature);
  }

  private static String base64url(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
