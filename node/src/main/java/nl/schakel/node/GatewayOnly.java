package nl.schakel.node;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.UntrustedCertificateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only when the TLS peer is the gateway. The handshake already demanded a
 * client certificate from the federation CA; any party's certificate chains to it, so here the
 * certificate must also name party {@code gateway}: a partner's node must not be able to ask
 * another partner's node questions. Anything else is closed {@code UNAUTHENTICATED} before the
 * service sees a byte.
 */
final class GatewayOnly implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(GatewayOnly.class);

  private final String party;
  private final FederationTrust trust;
  private final Clock clock;

  GatewayOnly(String party, FederationTrust trust, Clock clock) {
    this.party = party;
    this.trust = trust;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Optional<String> refusal = refusal(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (refusal.isPresent()) {
      log.warn("party={} refused a call: {}", party, refusal.get());
      call.close(Status.UNAUTHENTICATED.withDescription(refusal.get()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /** Why the peer of {@code session} may not call this node, or empty when it is the gateway. */
  private Optional<String> refusal(SSLSession session) {
    if (session == null) {
      return Optional.of("node " + party + " accepts only mTLS calls from the gateway; this call has no TLS session");
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.of("node " + party + " accepts only the gateway's client certificate; the caller sent none");
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
      return Optional.of("node " + party + " accepts only the gateway's X.509 client certificate");
    }
    try {
      String peer = trust.partyOf(certificate, clock.instant());
      if (!peer.equals(NodePki.GATEWAY)) {
        return Optional.of("node " + party + " accepts calls only from party " + NodePki.GATEWAY
            + "; the client certificate names party " + peer);
      }
      return Optional.empty();
    } catch (UntrustedCertificateException e) {
      return Optional.of("client certificate refused: " + e.getMessage());
    }
  }
}
