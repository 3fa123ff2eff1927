package nl.schakel.gateway;

import nl.schakel.node.TestPki;
import nl.schakel.node.PartySigners;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import nl.schakel.trust.pki.PartyCredentials;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.node.Node;
import nl.schakel.node.NodeConfig;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.trust.pseudonym.PseudonymKey;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;

/**
 * A real federation for end-to-end tests: real nodes serving gRPC on free loopback ports, a real
 * gateway over HTTP, a copy of the demo convenant signed by every party with keys made for the
 * test ({@link PartySigners}), and small inline record sets per party. Nodes and gateway
 * share one {@link TestClock}, which tests move; tokens are minted with the real clock, because
 * gateway and nodes check them against it. Every party has its own token issuer.
 */
final class TestFederation implements AutoCloseable {
  /** The day the federation lives on: inside the demo convenant's validity. */
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  static final Path DEMO_COVENANT = Path.of("../deploy/demo/covenants/zvo-midden.v3.yaml");
  static final String ISSUER = "schakel-demo/test";
  static final String AUDIENCE = "schakel";
  /** The parties that may ask under the demo convenant, and whose issuer every node trusts. */
  static final List<String> ASKING_PARTIES = List.of("zvh", "riec", "gemeente-oov", "gemeente-zeist");
  /** The parties whose analysts the gateway admits: the asking ones and politie (its auditor reads the log). */
  static final List<String> GATEWAY_ANALYST_PARTIES =
      List.of("zvh", "riec", "gemeente-oov", "gemeente-zeist", "politie");

  final Path dir;
  /** The signed copy of the demo convenant that nodes and gateway hold. */
  final Path covenant;
  final PartySigners signers;
  final TestPki pki;
  final TestClock clock = new TestClock(NOW);
  final Map<String, Node> nodes = new LinkedHashMap<>();
  /** Each real node's config, listening on the port it got, so it can be restarted there. */
  final Map<String, NodeConfig> nodeConfigs = new LinkedHashMap<>();
  final List<Server> fakeNodes = new ArrayList<>();
  final GatewayConfig config;
  Gateway gateway;
  AuditLog auditLog;
  /** Each party's issuer key, and a minter of its tokens. */
  final Map<String, DemoIssuerKey> issuers;
  final Map<String, TokenMinter> tokens;
  final HttpClient http = HttpClient.newHttpClient();

  /**
   * Records per party in CSV form (without header). A party mapped to {@code null} gets a node
   * that accepts the call and never answers, like a hung node.
   */
  TestFederation(Path dir, Map<String, String> records, Duration deadline, AuditLog injectedLog) throws Exception {
    this(dir, records, deadline, injectedLog, Map.of());
  }

  /** As above, plus parties served by the given gRPC services (fakes that record or misbehave). */
  TestFederation(Path dir, Map<String, String> records, Duration deadline, AuditLog injectedLog,
      Map<String, BindableService> fakes) throws Exception {
    this.dir = dir;
    Path keys = dir.resolve("keys");
    Files.createDirectories(keys);
    PseudonymKey.generate(new SecureRandom()).writeTo(keys.resolve("matching.key"));
    PseudonymKey.generate(new SecureRandom()).writeTo(keys.resolve("audit.key"));
    // Each party its own issuer, as in production: one party's issuer cannot vouch for another's analysts.
    // Tokens are checked against the real time, so they are minted with it.
    Map<String, DemoIssuerKey> issuers = new LinkedHashMap<>();
    Map<String, TokenMinter> minters = new LinkedHashMap<>();
    for (String party : GATEWAY_ANALYST_PARTIES) {
      DemoIssuerKey key = DemoIssuerKey.loadOrCreate(keys.resolve("issuers").resolve(party));
      issuers.put(party, key);
      minters.put(party, new TokenMinter(key, java.time.Clock.systemUTC()));
    }
    this.issuers = Map.copyOf(issuers);
    this.tokens = Map.copyOf(minters);
    signers = new PartySigners(dir);
    covenant = signers.signedCopy(DEMO_COVENANT, dir.resolve("covenants").resolve(DEMO_COVENANT.getFileName()));

    pki = TestPki.in(dir);
    // Nodes verify the analysts' tokens themselves, against the real time they were minted at.
    List<NodeConfig.Analysts> analysts = ASKING_PARTIES.stream().map(p -> new NodeConfig.Analysts(p, ISSUER, AUDIENCE,
        List.of(issuers.get(p).publicKeyPem()), Optional.empty())).toList();
    List<GatewayConfig.NodeEndpoint> endpoints = new ArrayList<>();
    for (var e : records.entrySet()) {
      if (e.getValue() == null) {
        Server hung = hungNode(e.getKey());
        fakeNodes.add(hung);
        endpoints.add(new GatewayConfig.NodeEndpoint(e.getKey(), "127.0.0.1:" + hung.getPort(),
            Optional.of(pki.signingCert(e.getKey()))));
        continue;
      }
      Path csv = dir.resolve(e.getKey() + ".csv");
      Files.writeString(csv, "subject_type,identifier,category,date,area\n" + e.getValue());
      NodeConfig nodeConfig = new NodeConfig(e.getKey(), new NodeConfig.Listen("127.0.0.1", 0),
          new NodeConfig.Source(csv), keys.resolve("matching.key"), List.of(covenant), signers.partyKeys(),
          pki.nodePki(e.getKey())).withAnalysts(analysts);
      Node node = Node.start(nodeConfig, clock, java.time.Clock.systemUTC());
      nodes.put(e.getKey(), node);
      int port = Integer.parseInt(node.address().substring(node.address().lastIndexOf(':') + 1));
      nodeConfigs.put(e.getKey(), new NodeConfig(nodeConfig.party(), new NodeConfig.Listen("127.0.0.1", port),
          nodeConfig.source(), nodeConfig.matchingKey(), nodeConfig.covenants(), nodeConfig.partyKeys(),
          nodeConfig.cellKey(), nodeConfig.pki(), nodeConfig.freshness(), nodeConfig.analysts(), nodeConfig.stateDir()));
      endpoints.add(new GatewayConfig.NodeEndpoint(e.getKey(), node.address(), Optional.of(pki.signingCert(e.getKey()))));
    }
    for (var e : fakes.entrySet()) {
      Server fake = fakeNode(e.getKey(), e.getValue());
      fakeNodes.add(fake);
      endpoints.add(new GatewayConfig.NodeEndpoint(e.getKey(), "127.0.0.1:" + fake.getPort(),
          Optional.of(pki.signingCert(e.getKey()))));
    }
    config = new GatewayConfig("test", new GatewayConfig.Listen("127.0.0.1", 0), deadline, endpoints,
        List.of(covenant), signers.partyKeys(), keys.resolve("matching.key"), keys.resolve("audit.key"), dir.resolve("audit"),
        GATEWAY_ANALYST_PARTIES.stream().map(p -> new GatewayConfig.Analysts(p, ISSUER, AUDIENCE,
            List.of(issuers.get(p).publicKeyPem()), Optional.empty())).toList(), new GatewayConfig.Pki(pki.party(GatewayPki.GATEWAY), pki.caCert()))
        // Tests drive witnessing round by round (Witnesses.tick); the schedule stays out of the way.
        .withWitnessInterval(Duration.ofHours(1));
    if (injectedLog != null) {
      auditLog = injectedLog;
      gateway = Gateway.start(config, clock, injectedLog);
    } else {
      gateway = Gateway.start(config, clock, this::openAuditLog);
    }
  }

  /** The gateway's own file log, opened with the gateway's options (its checkpoint signer). */
  private AuditLog openAuditLog(FileAuditLog.Options options) throws IOException {
    auditLog = FileAuditLog.open(dir.resolve("audit"), options);
    return auditLog;
  }

  /** Stops the gateway and starts a new one on the same audit log, state directory and keys. */
  void restartGateway() throws Exception {
    gateway.close();
    gateway = Gateway.start(config, clock, this::openAuditLog);
  }

  /** Stops a real node and starts it again on the same port and state, as after a node's restart. */
  void restartNode(String party) throws Exception {
    nodes.get(party).close();
    nodes.put(party, Node.start(nodeConfigs.get(party), clock, java.time.Clock.systemUTC()));
  }

  /** A gRPC server that takes every question and never answers: the gateway's deadline must cut it off. */
  private Server hungNode(String party) throws IOException {
    List<StreamObserver<Envelope>> held = new CopyOnWriteArrayList<>();
    return fakeNode(party, new NodeServiceGrpc.NodeServiceImplBase() {
      @Override
      public void ask(Envelope request, StreamObserver<Envelope> response) {
        held.add(response);
      }
    });
  }

  /**
   * A gRPC server speaking TLS with {@code certifiedAs}'s credentials from this federation's CA:
   * fakes must pass the gateway's certificate check to be heard at all.
   */
  Server fakeNode(String party, BindableService service) throws IOException {
    PartyCredentials creds = pki.credentials(service instanceof Impostor i ? i.certifiedAs() : party);
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(
            creds.tlsKey(), creds.tlsCertificateChain().toArray(java.security.cert.X509Certificate[]::new))).build())
        .addService(service)
        .build()
        .start();
  }

  /** A fake node that presents the TLS certificate of another party than the one it serves. */
  record Impostor(String certifiedAs, BindableService service) implements BindableService {
    @Override
    public io.grpc.ServerServiceDefinition bindService() {
      return service.bindService();
    }
  }

  /** A 5-minute token for an analyst of {@code party}, from that party's issuer. */
  String token(String party, String person, String... roles) {
    return tokens.get(party).mint(new AnalystClaims(ISSUER, AUDIENCE, party, person, List.of(roles), Duration.ofMinutes(5)));
  }

  HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return get(path, null);
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The audit log's entries, decoded, oldest first. */
  List<AuditEntry> auditEntries() throws Exception {
    List<AuditEntry> entries = new ArrayList<>();
    for (long i = 0; i < auditLog.size(); i++) {
      entries.add(AuditEntry.parseFrom(auditLog.entry(i)));
    }
    return entries;
  }

  long questionsReceivedByNodes() {
    return nodes.values().stream().mapToLong(Node::questionsReceived).sum();
  }

  @Override
  public void close() {
    gateway.close();
    nodes.values().forEach(Node::close);
    fakeNodes.forEach(Server::shutdownNow);
  }
}
