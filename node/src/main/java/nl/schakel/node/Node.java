package nl.schakel.node;

import nl.schakel.trust.pki.CertificateExpiry;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.trust.jwt.CredentialVerifier;
import nl.schakel.trust.jwt.Issuer;
import nl.schakel.trust.jwt.IssuerKeys;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running partner node: its records ingested and pseudonymised into an index, and the
 * {@code NodeService} served over gRPC. Raw records never leave this process (principle 1).
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** Label separating the shared matching key's use from any other use of an HMAC key. */
  public static final String MATCHING = "matching";

  private final NodeConfig config;
  private final IndexRefresher index;
  private final Server server;
  private final NodeGrpcService service;
  private final ScheduledExecutorService expiryCheck;
  private final NodeLog nodeLog;
  private final SuspendSwitch suspendSwitch;
  /** Set once in {@link #start}, right after construction. */
  private java.util.Optional<MetricsServer> metricsServer = java.util.Optional.empty();

  private Node(NodeConfig config, IndexRefresher index, Server server,
      NodeGrpcService service, ScheduledExecutorService expiryCheck, NodeLog nodeLog, SuspendSwitch suspendSwitch) {
    this.suspendSwitch = suspendSwitch;
    this.nodeLog = nodeLog;
    this.expiryCheck = expiryCheck;
    this.config = config;
    this.index = index;
    this.server = server;
    this.service = service;
  }

  /**
   * Loads the node's own convenant copies, ingests the configured source and starts serving. Fails
   * loudly, before reading any record, if a convenant is invalid (every error as file:line:column),
   * is not signed by every party it names or was changed after signing (naming the file and the
   * parties), or none names this party; and if the source or a key is unusable.
   */
  public static Node start(NodeConfig config, Clock clock) throws IOException {
    return start(config, clock, clock);
  }

  /**
   * As {@link #start(NodeConfig, Clock)}, checking analyst credentials against {@code
   * credentialClock}: their issuer's real time. Only a federation living on a fixed day for its
   * convenant (a demo test) needs a clock other than {@code clock} here, as its gateway's token
   * check does.
   */
  public static Node start(NodeConfig config, Clock clock, Clock credentialClock) throws IOException {
    CredentialVerifier verifier = credentialVerifier(config);
    PartyKeys partyKeys;
    try {
      partyKeys = PartyKeys.readDirectory(config.partyKeys());
    } catch (IOException e) {
      throw new IOException("node " + config.party() + " cannot start: party-keys: " + e.getMessage(), e);
    }
    // Questions issued before this instant are refused: the replay memory starts empty here.
    Instant started = clock.instant();
    NodePki pki = NodePki.load(config.party(), config.pki(), started);
    CovenantCopies covenants = CovenantCopies.load(config.covenants(), config.party(), partyKeys);
    for (CovenantCopies.Copy c : covenants.all()) {
      log.info("party={} holds convenant {} hash={} valid {}..{}, {}{}", config.party(), c.label(),
          c.covenant().canonicalHashHex(), c.covenant().validFrom(), c.covenant().validUntil(),
          c.signed().signatures().summary(),
          c.covenant().parties().containsKey(config.party()) ? "" : " (does not name this party)");
    }
    var pseudonymiser = HmacPseudonymiser.create(PseudonymKey.readFrom(config.matchingKey()), MATCHING);
    CellKeys cellKeys = CellKeys.loadOrCreate(config.cellKeyFile(), new SecureRandom());
    RecordSource source = RecordSource.open(config.source().origin(), pseudonymiser,
        name -> java.util.Optional.ofNullable(System.getenv(name)));
    // Build progress is logged and served as metrics; rows of undeclared forms or absurd dates are
    // rejected one by one rather than failing the ingest.
    NodeMetrics metrics = new NodeMetrics(config.party());
    IndexRefresher refresher = IndexRefresher.load(config.party(),
        new RowAdmission(source, config.identifierForms(), clock),
        () -> RecordIndex.builder(cellKeys, metrics::progress, config.identifierForms()), clock);
    java.util.function.Supplier<RecordIndex> ref = refresher::current;

    // Answers read the index through this reference, so a refresh can swap in a new one.
    var freshness = new Freshness(config.party(), clock, config.freshness(), started);
    var credentials = new CredentialCheck(config.party(), verifier,
        config.analysts().stream().map(NodeConfig.Analysts::party).collect(Collectors.toSet()), credentialClock);
    if (config.analysts().isEmpty()) {
      log.warn("party={} has no analysts: (no credential issuer for any party) and refuses every question"
          + " as credential-unverifiable", config.party());
    }
    // Budgets and the operator's switch are the node's own (issue 6): a gateway can bypass neither.
    var budgets = new NodeBudgets(config.party(), NodeBudgets.newestLimits(covenants));
    var suspendSwitch = new SuspendSwitch(config.party(), config.stateDir(), System::nanoTime);
    var burst = new BurstWatch(config.party(), config.burst().distinctSubjects(), config.burst().window());
    var answers = new AnswerComputer(config.party(), ref::get, covenants, clock, freshness, credentials,
        suspendSwitch, budgets, burst);
    // Opened last before serving: the log's directory lock is held until close(), so every later
    // failure must release it.
    Witness witness;
    NodeLog nodeLog;
    try {
      Files.createDirectories(config.stateDir());
      witness = Witness.load(config.stateDir(), config.party(), config.federation(), pki.gatewayKey(),
          pki.own().signingKey(), clock);
      nodeLog = NodeLog.open(config.stateDir(), config.party(), pki.own().signingKey());
    } catch (IOException e) {
      throw new IOException("node " + config.party() + " cannot start: state-dir " + config.stateDir() + ": "
          + e.getMessage(), e);
    }
    try {
      // The node's log is the budgets' journal: every answered question within the longest window.
      budgets.replay(nodeLog.size(), nodeLog::entry, NodeBudgets.longestWindow(covenants), clock.instant());
    } catch (RuntimeException e) {
      nodeLog.close();
      throw new IOException("node " + config.party() + " cannot start: its log in state-dir " + config.stateDir()
          + " cannot be read to restore the budgets: " + e.getMessage(), e);
    }
    var service = new NodeGrpcService(config.party(), ref::get, covenants, answers, pki.gatewayKey(),
        pki.own().signingKey(), clock, nodeLog, witness);
    service.reportRefreshes(refresher::status);
    Server server;
    try {
      server = NettyServerBuilder
          .forAddress(new InetSocketAddress(config.listen().host(), config.listen().port()))
          .sslContext(serverTls(pki))
          .addService(ServerInterceptors.intercept(service, new GatewayOnly(config.party(), pki.trust(), clock)))
          .maxInboundMessageSize(NodeGrpcService.MAX_PAYLOAD_BYTES + 1024)
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      nodeLog.close();
      throw e;
    }
    java.util.Optional<MetricsServer> metricsServer = java.util.Optional.empty();
    if (config.metrics().isPresent()) {
      try {
        metricsServer = java.util.Optional.of(MetricsServer.start(config.party(), config.metrics().get(),
            () -> metrics.scrape(refresher.status(), refresher.current().footprintBytes(),
                nodeLog.questionsByOutcome(), nodeLog.size())));
      } catch (IOException | RuntimeException e) {
        server.shutdownNow();
        nodeLog.close();
        throw e;
      }
      log.info("party={} serving metrics on http://{}:{}/metrics", config.party(), config.metrics().get().host(),
          metricsServer.get().port());
    }
    warnOfExpiry(config.party(), pki.expiry(), clock.instant());
    ScheduledExecutorService expiryCheck = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "schakel-node-" + config.party() + "-certificate-expiry");
      t.setDaemon(true);
      return t;
    });
    expiryCheck.scheduleAtFixedRate(() -> warnOfExpiry(config.party(), pki.expiry(), clock.instant()),
        1, 1, TimeUnit.DAYS);
    config.source().refresh().ifPresent(refresher::refreshEvery);
    Node node = new Node(config, refresher, server, service, expiryCheck, nodeLog, suspendSwitch);
    node.metricsServer = metricsServer;
    log.info("party={} serving NodeService on {}:{}", config.party(), config.listen().host(), server.getPort());
    return node;
  }

  /**
   * Logs a WARN per certificate of this node (its own, the CA's, the gateway's signing
   * certificate) that expires within {@link nl.schakel.trust.pki.FederationTrust#RENEWAL_WARNING};
   * returns the warnings. Run at start and daily.
   */
  static List<String> warnOfExpiry(String party, CertificateExpiry expiry, Instant now) {
    List<String> warnings = expiry.warnings(now);
    warnings.forEach(w -> log.warn("party={} renew: {}", party, w));
    return warnings;
  }

  /** One verifier for every asking party's issuer, its keys read now: a bad key file stops the start. */
  static CredentialVerifier credentialVerifier(NodeConfig config) throws IOException {
    List<Issuer> issuers = new ArrayList<>();
    for (NodeConfig.Analysts a : config.analysts()) {
      try {
        issuers.add(new Issuer(a.party(), a.issuer(), a.audience(), IssuerKeys.read(a.keys(), a.jwks())));
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException("node " + config.party() + " cannot start: analysts of party " + a.party() + ": "
            + e.getMessage(), e);
      }
    }
    try {
      return CredentialVerifier.create(issuers);
    } catch (IllegalArgumentException e) {
      throw new IOException("node " + config.party() + " cannot start: analysts: " + e.getMessage(), e);
    }
  }

  /**
   * mTLS only: the node's certificate chain, and a client certificate from the federation CA is
   * required (which party it names is {@link GatewayOnly}'s check). A plain-text connection or a
   * certificate of another CA fails the handshake.
   */
  private static SslContext serverTls(NodePki pki) throws IOException {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(pki.own().tlsKey(),
              pki.own().tlsCertificateChain().toArray(X509Certificate[]::new)))
          .trustManager(pki.trust().caCertificate())
          .clientAuth(ClientAuth.REQUIRE)
          .build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IOException("node " + pki.own().party() + " cannot start: pki: TLS setup failed: " + e.getMessage(), e);
    }
  }

  public String party() {
    return config.party();
  }

  /** The port actually bound, also when the config asked for port 0. */
  public int port() {
    return server.getPort();
  }

  public String address() {
    return config.listen().host() + ":" + port();
  }

  /** How many questions reached this node, answered or not. */
  public long questionsReceived() {
    return service.questionsReceived();
  }

  /** The ingest report of the index answering now. */
  public IngestReport ingestReport() {
    return index.status().ingest();
  }

  /** The index in use and the last refresh attempt, for metrics and health. */
  public RefreshStatus refreshStatus() {
    return index.status();
  }

  /**
   * Reads the source again now and swaps in the new index; on failure the old one keeps answering.
   * Answers never wait for this. Returns the status afterwards.
   */
  public RefreshStatus refreshNow() {
    return index.refresh();
  }

  public long records() {
    return index.current().records();
  }

  /** The port of the metrics endpoint, when node.yaml configures one. */
  public java.util.OptionalInt metricsPort() {
    return metricsServer.map(m -> java.util.OptionalInt.of(m.port())).orElse(java.util.OptionalInt.empty());
  }

  /** The node's own audit log: for tests and the operator's tools in this package. */
  NodeLog nodeLog() {
    return nodeLog;
  }

  /**
   * Suspends answering as {@code s} says, by writing {@code <state-dir>/suspend.yaml} (so it
   * survives a restart) and reading it back at once. For tests and the operator's tools; an
   * operator may as well edit the file, which is read again within a second.
   */
  void suspend(SuspendSwitch.Suspension s) throws IOException {
    suspendSwitch.write(s);
  }

  /** Resumes answering: removes {@code <state-dir>/suspend.yaml}. */
  void resume() throws IOException {
    suspendSwitch.clear();
  }

  /** Reads {@code <state-dir>/suspend.yaml} now rather than within a second. */
  void reloadSuspension() {
    suspendSwitch.reload();
  }

  /** Stops accepting questions, waits briefly for answers in flight, then closes the node's log. */
  @Override
  public void close() {
    expiryCheck.shutdownNow();
    metricsServer.ifPresent(MetricsServer::close);
    index.close();
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      // Appends accepted before this still complete: close() waits until they are durable.
      nodeLog.close();
    }
  }
}
