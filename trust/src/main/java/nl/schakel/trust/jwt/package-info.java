/**
 * Verifying analyst credentials where they are used: nodes check the asker's (and approver's)
 * JWT themselves, with the issuer configured for the asker's party, so a gateway cannot vouch
 * for anyone. No Vert.x here: compact JWS (RFC 7515), JWT claims (RFC 7519) and JWK Sets (RFC
 * 7517) are read by a strict hand-written parser, signatures checked by Bouncy Castle (EdDSA)
 * and the JDK (ES256, RS256, PS256).
 *
 * <p>{@link nl.schakel.trust.jwt.CredentialVerifier#verify} throws {@link
 * nl.schakel.trust.jwt.CredentialException} with a stable reason code; it never returns a
 * boolean, and never puts a token in a message.
 */
package nl.schakel.trust.jwt;
