package nl.schakel.trust.jwt;

import java.util.Optional;

/**
 * The JWS algorithms (RFC 7518 section 3.1, RFC 8037 section 3.1) analyst credentials may be
 * signed with: what OIDC providers such as Keycloak and Entra ID issue, all asymmetric. HMAC is
 * absent on purpose: a verifier holding the secret could mint tokens itself.
 */
enum JwsAlgorithm {
  /** Ed25519 (RFC 8037); the only EdDSA curve accepted. */
  EDDSA("EdDSA"),
  /** ECDSA P-256 with SHA-256, signature r || s (64 bytes, RFC 7518 section 3.4). */
  ES256("ES256"),
  /** RSASSA-PKCS1-v1_5 with SHA-256. */
  RS256("RS256"),
  /** RSASSA-PSS with SHA-256, MGF1 with SHA-256, 32-byte salt (RFC 7518 section 3.5). */
  PS256("PS256");

  private final String jwsName;

  JwsAlgorithm(String jwsName) {
    this.jwsName = jwsName;
  }

  /** The "alg" header value. */
  String jwsName() {
    return jwsName;
  }

  /** The algorithm an "alg" value names exactly (case-sensitive, RFC 7515 section 4.1.1). */
  static Optional<JwsAlgorithm> named(String alg) {
    for (JwsAlgorithm algorithm : values()) {
      if (algorithm.jwsName.equals(alg)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  static String accepted() {
    return "EdDSA, ES256, RS256 or PS256";
  }
}
