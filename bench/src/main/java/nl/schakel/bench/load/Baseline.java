package nl.schakel.bench.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.IdentifierForm;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.Subject;
import nl.schakel.proto.v1.SubjectType;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * The floor for this machine: the same hops as the real path, minus all security. A Vert.x HTTP
 * endpoint takes {@code POST /v1/queries}, pseudonymises the BSN and fans a {@code Question} out
 * in parallel to {@code n} plain-text gRPC servers implementing the real {@code NodeService.Ask};
 * each answers from an in-memory set of pseudonyms with an unsigned {@code Answer}, and the
 * endpoint responds with JSON shaped like the gateway's. No TLS, no signatures, no convenant, no
 * audit log, no token: what is left is HTTP, JSON, protobuf, gRPC and the lookup.
 */
public final class Baseline implements AutoCloseable {
  private static final String QUESTION_TYPE = "application/vnd.schakel.question.v1+protobuf";
  private static final String ANSWER_TYPE = "application/vnd.schakel.answer.v1+protobuf";
  /** The gateway's default per-node deadline in a local federation. */
  public static final java.time.Duration DEFAULT_DEADLINE = java.time.Duration.ofSeconds(2);

  private final Vertx vertx;
  private final HttpServer http;
  private final List<Server> servers;
  private final List<ManagedChannel> channels;

  private Baseline(Vertx vertx, HttpServer http, List<Server> servers, List<ManagedChannel> channels) {
    this.vertx = vertx;
    this.http = http;
    this.servers = servers;
    this.channels = channels;
  }

  /**
   * Starts one gRPC server per party, indexing the person rows of its CSV file (the node's CSV
   * format), and the HTTP endpoint, all on loopback with ephemeral ports.
   *
   * @param csvByParty per party, its records; iteration order is fan-out order
   * @param deadline per node, as the gateway's: a slower node is reported unavailable
   */
  public static Baseline start(Map<String, Path> csvByParty, java.time.Duration deadline) throws IOException {
    Pseudonymiser pseudonymiser = HmacPseudonymiser.create(PseudonymKey.generate(new SecureRandom()), "matching");
    List<Server> servers = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    Map<String, NodeServiceGrpc.NodeServiceStub> stubs = new LinkedHashMap<>();
    Vertx vertx = null;
    try {
      for (Map.Entry<String, Path> e : csvByParty.entrySet()) {
        Set<ByteString> index = index(e.getValue(), pseudonymiser);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(new LookupNode(e.getKey(), index)).build().start();
        servers.add(server);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(),
            server.getPort())).usePlaintext().build();
        channels.add(channel);
        stubs.put(e.getKey(), NodeServiceGrpc.newStub(channel));
      }
      vertx = Vertx.vertx();
      Router router = Router.router(vertx);
      router.post("/v1/queries").handler(BodyHandler.create().setBodyLimit(64 * 1024))
          .handler(ctx -> fanOut(ctx, pseudonymiser, stubs, deadline.toMillis()));
      HttpServer http = vertx.createHttpServer().requestHandler(router)
          .listen(0, InetAddress.getLoopbackAddress().getHostAddress())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return new Baseline(vertx, http, servers, channels);
    } catch (Exception e) {
      channels.forEach(ManagedChannel::shutdownNow);
      servers.forEach(Server::shutdownNow);
      if (vertx != null) {
        vertx.close();
      }
      throw e instanceof IOException io ? io : new IOException("the baseline did not start: " + e.getMessage(), e);
    }
  }

  /** The endpoint to drive, like the gateway's. */
  public URI queries() {
    return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + http.actualPort() + "/v1/queries");
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing a benchmark's endpoint: nothing left to protect
    }
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
  }

  private static void fanOut(io.vertx.ext.web.RoutingContext ctx, Pseudonymiser pseudonymiser,
      Map<String, NodeServiceGrpc.NodeServiceStub> stubs, long deadlineMs) {
    Bsn bsn;
    try {
      bsn = Bsn.parse(new JsonObject(ctx.body().asString()).getJsonObject("subject").getString("bsn"));
    } catch (RuntimeException e) { // InvalidIdentifierException, or a body without subject.bsn
      // Never echo the value: only that it was not a BSN.
      ctx.response().setStatusCode(400).end("{\"title\":\"expected subject.bsn, a valid BSN\"}");
      return;
    }
    String id = UUID.randomUUID().toString();
    Question question = Question.newBuilder()
        .setQuestionId(id)
        .setIssuedAtEpochMs(System.currentTimeMillis())
        .setPurpose("baseline")
        .setSubject(Subject.newBuilder().setType(SubjectType.PERSON).setForm(IdentifierForm.BSN)
            .setPseudonym(ByteString.copyFrom(pseudonymiser.pseudonymise(bsn).bytes())))
        .build();
    Envelope envelope = Envelope.newBuilder().setPayloadType(QUESTION_TYPE).setPayload(question.toByteString()).build();
    List<CompletableFuture<JsonObject>> answers = new ArrayList<>();
    stubs.forEach((party, stub) -> {
      CompletableFuture<JsonObject> answer = new CompletableFuture<>();
      stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).ask(envelope, new StreamObserver<>() {
        @Override
        public void onNext(Envelope value) {
          try {
            Answer a = Answer.parseFrom(value.getPayload());
            answer.complete(new JsonObject().put("party", party).put("answer", "hit-per-party")
                .put("outcome", a.getOutcome() == Outcome.HIT ? "hit" : "no-hit"));
          } catch (InvalidProtocolBufferException e) {
            answer.complete(unavailable(party, "unreadable answer"));
          }
        }

        @Override
        public void onError(Throwable t) {
          answer.complete(unavailable(party, Status.fromThrowable(t).getCode().toString()));
        }

        @Override
        public void onCompleted() {
          answer.complete(unavailable(party, "no answer"));
        }
      });
      answers.add(answer);
    });
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() -> {
      JsonArray array = new JsonArray();
      answers.forEach(a -> array.add(a.join()));
      boolean partial = answers.stream().anyMatch(a -> a.join().getString("outcome").equals("unavailable"));
      ctx.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("queryId", id).put("status", partial ? "partial" : "complete")
              .put("answers", array).encode());
    });
  }

  private static JsonObject unavailable(String party, String reason) {
    return new JsonObject().put("party", party).put("answer", "hit-per-party").put("outcome", "unavailable")
        .put("reason", reason);
  }

  /** The pseudonyms of every person row of a node CSV ({@code subject_type,identifier,...}). */
  static Set<ByteString> index(Path csv, Pseudonymiser pseudonymiser) throws IOException {
    Set<ByteString> index = new HashSet<>();
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      in.readLine(); // header
      for (String line; (line = in.readLine()) != null; ) {
        int first = line.indexOf(',');
        int second = line.indexOf(',', first + 1);
        if (first > 0 && second > first && line.startsWith("person,")) {
          index.add(ByteString.copyFrom(pseudonymiser.pseudonymise(Bsn.parse(line.substring(first + 1, second))).bytes()));
        }
      }
    }
    return index;
  }

  /** A node that answers hit or no-hit from a set, signing nothing. */
  private static final class LookupNode extends NodeServiceGrpc.NodeServiceImplBase {
    private final String party;
    private final Set<ByteString> index;

    LookupNode(String party, Set<ByteString> index) {
      this.party = party;
      this.index = index;
    }

    @Override
    public void ask(Envelope request, StreamObserver<Envelope> response) {
      Question q;
      try {
        q = Question.parseFrom(request.getPayload());
      } catch (InvalidProtocolBufferException e) {
        response.onError(Status.INVALID_ARGUMENT.withDescription("expected a Question payload").asRuntimeException());
        return;
      }
      Answer answer = Answer.newBuilder().setQuestionId(q.getQuestionId()).setParty(party)
          .setOutcome(index.contains(q.getSubject().getPseudonym()) ? Outcome.HIT : Outcome.NO_HIT)
          .setAnsweredAtEpochMs(System.currentTimeMillis()).build();
      response.onNext(Envelope.newBuilder().setPayloadType(ANSWER_TYPE).setPayload(answer.toByteString()).build());
      response.onCompleted();
    }
  }
}
