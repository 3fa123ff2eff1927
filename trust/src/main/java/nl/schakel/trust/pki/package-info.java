/**
 * The federation PKI (bcpkix): one CA per federation, and per party a TLS certificate (ECDSA
 * P-256, because Netty's OpenSSL path rejects EdDSA TLS keys) and a certificate for its Ed25519
 * signing key, both naming the party as SAN URI {@code urn:schakel:party:<id>}.
 *
 * <p>{@link nl.schakel.trust.pki.FederationCa} issues; {@link nl.schakel.trust.pki.FederationTrust}
 * verifies, anchored at the CA certificate only, and throws {@link
 * nl.schakel.trust.pki.UntrustedCertificateException} with a reason rather than returning a
 * boolean. Directory layout of {@code schakel pki}: {@code ca/ca.key.pem} (0600), {@code
 * ca/ca.cert.pem}, and per party {@code <party>/tls.key.pem} (0600), {@code tls.cert.pem} (leaf,
 * then CA), {@code signing.key.pem} (0600), {@code signing.cert.pem}.
 */
package nl.schakel.trust.pki;
