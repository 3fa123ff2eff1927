package nl.schakel.gateway;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.UntrustedCertificateException;

/**
 * Trusts a node's TLS certificate only if it chains to the federation CA (the JDK's PKIX checks,
 * host name included) and names the party this channel is for: every party's certificate comes
 * from the same CA, so without the party check one partner could answer in another's name. Keeps
 * the last refusal, so that the analyst's {@code unavailable} can say why instead of "unreachable".
 */
final class NodeTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final FederationTrust trust;
  private final String party;
  private final Clock clock;
  private final AtomicReference<Optional<String>> lastRefusal = new AtomicReference<>(Optional.empty());

  NodeTrustManager(FederationTrust trust, String party, Clock clock) {
    this.pkix = pkix(trust.caCertificate());
    this.trust = trust;
    this.party = party;
    this.clock = clock;
  }

  /** Why the node's certificate was refused at the last handshake, if it was. */
  Optional<String> lastRefusal() {
    return lastRefusal.get();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw refused("node certificate does not chain to the federation CA: " + e.getMessage());
    }
    checkParty(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw refused("node certificate does not chain to the federation CA: " + e.getMessage());
    }
    checkParty(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw refused("node certificate does not chain to the federation CA: " + e.getMessage());
    }
    checkParty(chain);
  }

  private void checkParty(X509Certificate[] chain) throws CertificateException {
    String named;
    try {
      named = trust.partyOf(chain[0], clock.instant());
    } catch (UntrustedCertificateException e) {
      throw refused("node certificate refused: " + e.getMessage());
    }
    if (!named.equals(party)) {
      throw refused("node certificate names party " + named + ", expected " + party);
    }
    lastRefusal.set(Optional.empty());
  }

  private CertificateException refused(String why) {
    lastRefusal.set(Optional.of(why));
    return new CertificateException(why);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the gateway's node channels are clients only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the gateway's node channels are clients only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the gateway's node channels are clients only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private static X509ExtendedTrustManager pkix(X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("federation-ca", ca);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a trust manager for the federation CA", e);
    }
  }
}
