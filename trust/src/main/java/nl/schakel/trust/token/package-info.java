/**
 * Demo-only analyst tokens: one local Ed25519 issuer key from which {@code schakel token} mints
 * JWTs (RFC 7519, signed per RFC 8037 with "alg":"EdDSA") that the gateway verifies with Vert.x
 * auth-jwt.
 *
 * <p>Production federations configure an OIDC issuer per party (Keycloak, Entra ID) instead;
 * nothing outside the demo may depend on this package.
 */
package nl.schakel.trust.token;
