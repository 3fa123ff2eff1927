package nl.schakel.gateway;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
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
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private final Map<String, NodeServiceGrpc.NodeServiceFutureStub> stubs = new HashMap<>();
  private final Duration deadline;

  NodeClients(List<GatewayConfig.NodeEndpoint> nodes, Duration deadline) {
    this.deadline = deadline;
    for (GatewayConfig.NodeEndpoint node : nodes) {
      // Plain text on loopback for now; the trust issue replaces this with mTLS.
      ManagedChannel channel = NettyChannelBuilder.forTarget(node.address())
          .usePlaintext()
          .maxInboundMessageSize(64 * 1024)
          .build();
      // Connect now rather than on the first question, so the first analyst does not pay for it.
      channel.getState(true);
      channels.put(node.party(), channel);
      stubs.put(node.party(), NodeServiceGrpc.newFutureStub(channel));
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
    var call = stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).ask(question);
    Futures.addCallback(call, new FutureCallback<>() {
      @Override
      public void onSuccess(Envelope envelope) {
        result.complete(check(party, envelope, questionId, questionHash));
      }

      @Override
      public void onFailure(Throwable t) {
        result.complete(new NodeReply.Unavailable(party, reason(Status.fromThrowable(t))));
      }
    }, MoreExecutors.directExecutor());
    return result;
  }

  private String reason(Status status) {
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> "deadline exceeded after " + deadline.toMillis() + " ms";
      case UNAVAILABLE -> "node unreachable";
      case CANCELLED -> "call cancelled";
      default -> "node error " + status.getCode();
    };
  }

  /** An answer counts only if it is an answer to this very question from this very party. */
  private static NodeReply check(String party, Envelope envelope, String questionId, ByteString questionHash) {
    if (!PayloadTypes.ANSWER.equals(envelope.getPayloadType())) {
      return new NodeReply.Unavailable(party, "invalid answer: wrong payload type");
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
