package nl.schakel.node;

import java.io.IOException;
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
 * handshake later, less clearly.
 */
record NodePki(FederationTrust trust, PartyCredentials own, VerifyingKey gatewayKey) {
  /** The party id the gateway's certificates carry. */
  static final String GATEWAY = "gateway";

  static NodePki load(String party, NodeConfig.Pki config, Instant now) throws IOException {
    String prefix = "node " + party + " cannot start: pki: ";
    FederationTrust trust;
    PartyCredentials own;
    try {
      trust = FederationTrust.load(config.ca());
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
    try {
      gatewayKey = trust.certifiedSigningKey(FederationTrust.readCertificate(config.gatewaySigningCert()), GATEWAY, now);
    } catch (UntrustedCertificateException e) {
      throw new IOException(prefix + "gateway-signing-cert " + config.gatewaySigningCert() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(prefix + "gateway-signing-cert: " + e.getMessage(), e);
    }
    return new NodePki(trust, own, gatewayKey);
  }
}
