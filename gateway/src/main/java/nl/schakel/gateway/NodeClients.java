package nl.schakel.gateway;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLException;
import java.util.ArrayList;
import java.util.Optional;
import nl.schakel.proto.v1.Signature;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseVerifier;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.VerifyingKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.proto.v1.PayloadTypes;

/**
 * The gateway's gRPC channels to the partner nodes and the fan-out of one question to many of
 * them. Each call has its own deadline; whatever goes wrong with one node becomes
 * {@link NodeReply.Unavailable} with a reason, and never delays or changes the others' answers.
 */
final class NodeClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeClients.class);
  /** The reason an analyst sees for an answer whose signature does not verify. */
  static final String INVALID_SIGNATURE = "invalid answer signature";
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private final Map<String, NodeServiceGrpc.NodeServiceFutureStub> stubs = new HashMap<>();
  private final Map<String, NodeTrustManager> trustManagers = new HashMap<>();
  private final Duration deadline;
  private final GatewayPki pki;

  /**
   * Channels over mTLS only: the gateway presents its own TLS certificate, and per channel accepts
   * only a node certificate from the federation CA that names that channel's party.
   */
  NodeClients(List<GatewayConfig.NodeEndpoint> nodes, Duration deadline, GatewayPki pki, Clock clock) {
    this.deadline = deadline;
    this.pki = pki;
    X509Certificate[] chain = pki.own().tlsCertificateChain().toArray(X509Certificate[]::new);
    for (GatewayConfig.NodeEndpoint node : nodes) {
      NodeTrustManager trust = new NodeTrustManager(pki.trust(), node.party(), clock);
      SslContext tls;
      try {
        tls = GrpcSslContexts.forClient().keyManager(pki.own().tlsKey(), chain).trustManager(trust).build();
      } catch (SSLException e) {
        throw new IllegalStateException("cannot set up TLS towards node " + node.party() + ": " + e.getMessage(), e);
      }
      ManagedChannel channel = NettyChannelBuilder.forTarget(node.address())
          .sslContext(tls)
          .maxInboundMessageSize(64 * 1024)
          .build();
      // Connect now rather than on the first question, so the first analyst does not pay for it.
      channel.getState(true);
      channels.put(node.party(), channel);
      stubs.put(node.party(), NodeServiceGrpc.newFutureStub(channel));
      trustManagers.put(node.party(), trust);
    }
  }

  Set<String> parties() {
    return stubs.keySet();
  }

  /** Asks one node; the future always completes normally, with an answer or the reason there is none. */
  CompletableFuture<NodeReply> ask(String party, Envelope question, String questionId, ByteString questionHash) {
    var stub = stubs.get(party);
    var result = new CompletableFuture<NodeReply>();
    if (stub == null) {
      result.complete(new NodeReply.Unavailable(party, "no node is configured for this party"));
      return result;
    }
    Optional<String> refusal = pki.refusal(party);
    if (refusal.isPresent()) {
      // Its answer could not count anyway; not asking also keeps the question from that node.
      result.complete(new NodeReply.Unavailable(party, refusal.get()));
      return result;
    }
    var call = stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).ask(question);
    Futures.addCallback(call, new FutureCallback<>() {
      @Override
      public void onSuccess(Envelope envelope) {
        result.complete(check(party, envelope, questionId, questionHash));
      }

      @Override
      public void onFailure(Throwable t) {
        result.complete(new NodeReply.Unavailable(party, reason(party, Status.fromThrowable(t))));
      }
    }, MoreExecutors.directExecutor());
    return result;
  }

  /**
   * Asks one node to cosign a checkpoint (the node as witness, issue 5 item 6) over the same mTLS
   * channel as questions. The future fails with the gRPC status when the node refuses or cannot
   * be reached; {@link #reason} words it.
   */
  CompletableFuture<nl.schakel.proto.v1.CosignResponse> cosign(String party, nl.schakel.proto.v1.CosignRequest request) {
    var stub = stubs.get(party);
    var result = new CompletableFuture<nl.schakel.proto.v1.CosignResponse>();
    if (stub == null) {
      result.completeExceptionally(new IllegalArgumentException("no node is configured for party " + party));
      return result;
    }
    Futures.addCallback(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).cosign(request),
        new FutureCallback<>() {
          @Override
          public void onSuccess(nl.schakel.proto.v1.CosignResponse response) {
            result.complete(response);
          }

          @Override
          public void onFailure(Throwable t) {
            result.completeExceptionally(t);
          }
        }, MoreExecutors.directExecutor());
    return result;
  }

  /** Why a cosign call failed: the transport reason, or the node's own words when it refused. */
  String cosignFailure(String party, Throwable t) {
    Status status = Status.fromThrowable(t);
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED, UNAVAILABLE, UNAUTHENTICATED, CANCELLED -> reason(party, status);
      // A witness's refusal (a fork, a bad proof) is for the log's auditors: they read it on
      // /v1/audit/witnesses. Bounded, since a node could send anything.
      default -> "node refused to cosign: " + status.getCode()
          + (status.getDescription() == null ? "" : ": " + abbreviate(status.getDescription()));
    };
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\p{Cntrl}", " ");
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }

  private String reason(String party, Status status) {
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> "deadline exceeded after " + deadline.toMillis() + " ms";
      // A refused certificate surfaces as UNAVAILABLE too; the trust manager knows why.
      case UNAVAILABLE -> trustManagers.get(party).lastRefusal().orElse("node unreachable");
      // The node's own text is not passed on: whatever a node says reaches the analyst verbatim.
      case UNAUTHENTICATED -> "node refused the gateway's credentials";
      case CANCELLED -> "call cancelled";
      default -> "node error " + status.getCode();
    };
  }

  /**
   * An answer counts only if it is signed with this party's certified key (checked before the
   * payload is parsed) and answers this very question from this very party.
   */
  private NodeReply check(String party, Envelope envelope, String questionId, ByteString questionHash) {
    if (!PayloadTypes.ANSWER.equals(envelope.getPayloadType())) {
      return new NodeReply.Unavailable(party, "invalid answer: wrong payload type");
    }
    Optional<GatewayPki.NodeKey> key = pki.nodeKey(party);
    if (key.isEmpty()) {
      return new NodeReply.Unavailable(party, INVALID_SIGNATURE + ": no signing-cert is configured for this node");
    }
    try {
      List<DsseSignature> signatures = new ArrayList<>();
      for (Signature sig : envelope.getSignaturesList().subList(0,
          Math.min(envelope.getSignaturesCount(), DsseVerifier.MAX_SIGNATURES + 1))) {
        signatures.add(new DsseSignature(KeyId.parse(sig.getKeyid()), sig.getSig().toByteArray()));
      }
      VerifyingKey certified = key.get().key();
      DsseVerifier.verify(PayloadTypes.ANSWER, envelope.getPayload().toByteArray(), signatures,
          id -> id.equals(certified.keyId()) ? Optional.of(certified) : Optional.empty());
    } catch (InvalidSignatureException | IllegalArgumentException e) {
      // An incident: a node (or someone between) sent an answer its key did not sign. No
      // identifiers here: the party and the verifier's finding only.
      log.warn("INCIDENT answer from party={} failed signature verification: {}", party, e.getMessage());
      return new NodeReply.Unavailable(party, INVALID_SIGNATURE);
    }
    Answer answer;
    try {
      answer = Answer.parseFrom(envelope.getPayload());
    } catch (InvalidProtocolBufferException e) {
      return new NodeReply.Unavailable(party, "invalid answer: unreadable payload");
    }
    if (!answer.getQuestionId().equals(questionId) || !answer.getQuestionHash().equals(questionHash)) {
      return new NodeReply.Unavailable(party, "invalid answer: it answers another question");
    }
    if (!answer.getParty().equals(party)) {
      return new NodeReply.Unavailable(party, "invalid answer: signed for another party");
    }
    return new NodeReply.Answered(party, answer, envelope);
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
