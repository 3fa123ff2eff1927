package nl.schakel.gateway;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.PartyCredentials;
import nl.schakel.trust.pki.UntrustedCertificateException;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * What the gateway takes from the federation PKI, checked once at start against the federation
 * CA: its own credentials (TLS client certificate for mTLS, the signing key for questions) and,
 * per node with a configured {@code signing-cert}, the key that node's answers must be signed
 * with. Anything that does not chain to the CA or names the wrong party stops the start.
 */
record GatewayPki(FederationTrust trust, PartyCredentials own, Map<String, NodeKey> nodeKeys) {
  /** The party id the gateway's own certificates carry. */
  static final String GATEWAY = "gateway";

  /** A node's certified signing key and the certificate that vouches for it. */
  record NodeKey(VerifyingKey key, X509Certificate certificate) {}

  GatewayPki {
    nodeKeys = Map.copyOf(nodeKeys);
  }

  Optional<NodeKey> nodeKey(String party) {
    return Optional.ofNullable(nodeKeys.get(party));
  }

  static GatewayPki load(GatewayConfig config, Instant now) throws IOException {
    String prefix = "gateway cannot start: pki: ";
    FederationTrust trust;
    PartyCredentials own;
    try {
      trust = FederationTrust.load(config.pki().ca());
      own = PartyCredentials.load(config.pki().credentials());
    } catch (IOException e) {
      throw new IOException(prefix + e.getMessage(), e);
    }
    if (!own.party().equals(GATEWAY)) {
      throw new IOException(prefix + "credentials in " + config.pki().credentials() + " are for party " + own.party()
          + ", expected " + GATEWAY);
    }
    try {
      String tlsParty = trust.partyOf(own.tlsCertificate(), now);
      if (!tlsParty.equals(GATEWAY)) {
        throw new IOException(prefix + "TLS certificate names party " + tlsParty + ", expected " + GATEWAY);
      }
      trust.certifiedSigningKey(own.signingCertificate(), GATEWAY, now);
    } catch (UntrustedCertificateException e) {
      throw new IOException(prefix + "own certificates in " + config.pki().credentials() + ": " + e.getMessage(), e);
    }
    Map<String, NodeKey> keys = new LinkedHashMap<>();
    for (GatewayConfig.NodeEndpoint node : config.nodes()) {
      if (node.signingCert().isEmpty()) {
        continue;
      }
      try {
        X509Certificate cert = FederationTrust.readCertificate(node.signingCert().get());
        keys.put(node.party(), new NodeKey(trust.certifiedSigningKey(cert, node.party(), now), cert));
      } catch (UntrustedCertificateException | IOException e) {
        throw new IOException(prefix + "nodes[" + node.party() + "].signing-cert " + node.signingCert().get() + ": "
            + e.getMessage(), e);
      }
    }
    return new GatewayPki(trust, own, keys);
  }
}
