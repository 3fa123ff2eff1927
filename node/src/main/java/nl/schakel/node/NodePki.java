package nl.schakel.node;

import nl.schakel.trust.pki.CertificateExpiry;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.time.Instant;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.PartyCredentials;
import nl.schakel.trust.pki.UntrustedCertificateException;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * What a node takes from the federation PKI, checked once at start against the federation CA:
 * its own credentials (TLS for mTLS, the signing key for answers) and the gateway's certified
 * signing key, the only key a question may be signed with. A node whose own certificates do not
 * chain to the CA, name another party or have expired does not start: it would only fail every
 * handshake later, less clearly. So does a node whose own or the gateway's key is on the
 * federation's denylist ({@code pki.revoked-keys}).
 */
record NodePki(FederationTrust trust, PartyCredentials own, VerifyingKey gatewayKey, CertificateExpiry expiry) {
  /** The party id the gateway's certificates carry. */
  static final String GATEWAY = "gateway";

  static NodePki load(String party, NodeConfig.Pki config, Instant now) throws IOException {
    String prefix = "node " + party + " cannot start: pki: ";
    FederationTrust trust;
    PartyCredentials own;
    try {
      trust = FederationTrust.load(config.ca());
      if (config.revokedKeys().isPresent()) {
        // The denylist applies to every check below and, through the trust, to every peer
        // certificate at handshake time.
        trust = trust.withRevoked(FederationTrust.readRevocations(config.revokedKeys().get()));
      }
      own = PartyCredentials.load(config.credentials());
    } catch (IOException e) {
      throw new IOException(prefix + e.getMessage(), e);
    }
    if (!own.party().equals(party)) {
      throw new IOException(prefix + "credentials in " + config.credentials() + " are for party " + own.party()
          + ", expected " + party);
    }
    try {
      String tlsParty = trust.partyOf(own.tlsCertificate(), now);
      if (!tlsParty.equals(party)) {
        throw new IOException(prefix + "TLS certificate names party " + tlsParty + ", expected " + party);
      }
      trust.certifiedSigningKey(own.signingCertificate(), party, now);
    } catch (UntrustedCertificateException e) {
      throw new IOException(prefix + "own certificates in " + config.credentials() + ": " + e.getMessage(), e);
    }
    VerifyingKey gatewayKey;
    X509Certificate gatewayCert;
    try {
      gatewayCert = FederationTrust.readCertificate(config.gatewaySigningCert());
      gatewayKey = trust.certifiedSigningKey(gatewayCert, GATEWAY, now);
    } catch (UntrustedCertificateException e) {
      throw new IOException(prefix + "gateway-signing-cert " + config.gatewaySigningCert() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(prefix + "gateway-signing-cert: " + e.getMessage(), e);
    }
    CertificateExpiry expiry = new CertificateExpiry(List.of(
        new CertificateExpiry.Watched(config.ca(), "federation CA", trust.caCertificate()),
        new CertificateExpiry.Watched(config.credentials().resolve(PartyCredentials.TLS_CERT_FILE), party,
            own.tlsCertificate()),
        new CertificateExpiry.Watched(config.credentials().resolve(PartyCredentials.SIGNING_CERT_FILE), party,
            own.signingCertificate()),
        new CertificateExpiry.Watched(config.gatewaySigningCert(), GATEWAY, gatewayCert)));
    return new NodePki(trust, own, gatewayKey, expiry);
  }
}
