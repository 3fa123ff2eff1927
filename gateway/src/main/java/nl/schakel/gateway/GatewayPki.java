package nl.schakel.gateway;

import nl.schakel.trust.pki.CertificateExpiry;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.PartyCredentials;
import nl.schakel.trust.pki.UntrustedCertificateException;
import nl.schakel.trust.sign.VerifyingKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway takes from the federation PKI, checked once at start against the federation
 * CA: its own credentials (TLS client certificate for mTLS, the signing key for questions) and,
 * per node with a configured {@code signing-cert}, the key that node's answers must be signed
 * with. Anything that does not chain to the CA or names the wrong party stops the start.
 *
 * <p>A revoked key ({@code pki.revoked-keys}) of the gateway's own stops the start too. A node
 * whose signing key is revoked does not: the federation goes on without that one node, which is
 * reported {@code unavailable} with the revoked key id as reason until its certificate is
 * renewed (cutting one compromised node out must not take every other node down with it).
 */
record GatewayPki(FederationTrust trust, PartyCredentials own, Map<String, NodeKey> nodeKeys,
    Map<String, String> refusedNodes, CertificateExpiry expiry) {
  /** The party id the gateway's own certificates carry. */
  static final String GATEWAY = "gateway";
  private static final Logger log = LoggerFactory.getLogger(GatewayPki.class);

  /** A node's certified signing key and the certificate that vouches for it. */
  record NodeKey(VerifyingKey key, X509Certificate certificate) {}

  GatewayPki {
    nodeKeys = Map.copyOf(nodeKeys);
    refusedNodes = Map.copyOf(refusedNodes);
  }

  /** Why the gateway will not ask {@code party} at all, if it will not. */
  Optional<String> refusal(String party) {
    return Optional.ofNullable(refusedNodes.get(party));
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
      if (config.pki().revokedKeys().isPresent()) {
        // Through the trust the denylist also reaches every node's TLS certificate at handshake.
        trust = trust.withRevoked(FederationTrust.readRevocations(config.pki().revokedKeys().get()));
      }
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
    Map<String, String> refused = new LinkedHashMap<>();
    List<CertificateExpiry.Watched> watched = new ArrayList<>(List.of(
        new CertificateExpiry.Watched(config.pki().ca(), "federation CA", trust.caCertificate()),
        new CertificateExpiry.Watched(config.pki().credentials().resolve(PartyCredentials.TLS_CERT_FILE), GATEWAY,
            own.tlsCertificate()),
        new CertificateExpiry.Watched(config.pki().credentials().resolve(PartyCredentials.SIGNING_CERT_FILE), GATEWAY,
            own.signingCertificate())));
    for (GatewayConfig.NodeEndpoint node : config.nodes()) {
      if (node.signingCert().isEmpty()) {
        continue;
      }
      X509Certificate cert;
      try {
        cert = FederationTrust.readCertificate(node.signingCert().get());
      } catch (IOException e) {
        throw new IOException(prefix + "nodes[" + node.party() + "].signing-cert " + node.signingCert().get() + ": "
            + e.getMessage(), e);
      }
      try {
        keys.put(node.party(), new NodeKey(trust.certifiedSigningKey(cert, node.party(), now), cert));
        watched.add(new CertificateExpiry.Watched(node.signingCert().get(), node.party(), cert));
      } catch (UntrustedCertificateException e) {
        if (e.reason() == UntrustedCertificateException.Reason.REVOKED) {
          String reason = "signing key " + FederationTrust.keyIdOf(cert) + " is revoked";
          log.error("party={} will not be asked: nodes[{}].signing-cert {}: {}", node.party(), node.party(),
              node.signingCert().get(), e.getMessage());
          refused.put(node.party(), reason);
          continue;
        }
        throw new IOException(prefix + "nodes[" + node.party() + "].signing-cert " + node.signingCert().get() + ": "
            + e.getMessage(), e);
      }
    }
    return new GatewayPki(trust, own, keys, refused, new CertificateExpiry(watched));
  }
}
