/**
 * Ed25519 signing keys (RFC 8032, computed by Bouncy Castle: about ten times faster than the JDK
 * provider here) and DSSE v1 envelopes (secure-systems-lab/dsse) over them.
 *
 * <p>Verification throws {@link nl.schakel.trust.sign.InvalidSignatureException} and never returns
 * a boolean, so a caller cannot forget to look at the result. Signed payloads are verified before
 * anyone parses them: {@link nl.schakel.trust.sign.DsseVerifier} hands the payload back only after
 * a known key's signature over its pre-authentication encoding checked out.
 *
 * <p>Key files are PEM as OpenSSL writes them (RFC 8410): PKCS#8 {@code PRIVATE KEY} (0600, never
 * overwritten) and SubjectPublicKeyInfo {@code PUBLIC KEY}. A {@link nl.schakel.trust.sign.KeyId}
 * names a public key by its hash, so a signature can say which of a party's keys made it.
 */
package nl.schakel.trust.sign;
