package nl.schakel.gateway;

import nl.schakel.trust.pki.CertificateExpiry;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CosignatureVerifier;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.trust.jwt.CredentialVerifier;
import nl.schakel.trust.jwt.Issuer;
import nl.schakel.trust.jwt.IssuerKeys;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the HTTP API of API.md on Vert.x, the convenanten it enforces, its
 * channels to the nodes and its audit log. All routes are declared in {@link #router}.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /** API.md: a question is small; larger bodies are refused before they are read in full. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  public static final String MATCHING = "matching";
  public static final String AUDIT = "audit";

  /** How often held questions past their expiry are ended and old approvals dropped. */
  static final long SWEEP_MILLIS = 60_000;

  private final Vertx vertx;
  private final HttpServer server;
  private final Router router;
  private final NodeClients nodes;
  private final Admission admission;
  private final AuditLog auditLog;
  private final Witnesses witnesses;
  private final ScheduledExecutorService witnessing;

  private Gateway(Vertx vertx, HttpServer server, Router router, NodeClients nodes, Admission admission,
      AuditLog auditLog, Witnesses witnesses, ScheduledExecutorService witnessing) {
    this.vertx = vertx;
    this.server = server;
    this.router = router;
    this.nodes = nodes;
    this.admission = admission;
    this.auditLog = auditLog;
    this.witnesses = witnesses;
    this.witnessing = witnessing;
  }

  /** The admission state (budgets and approvals) in its locked directory, closed together. */
  private record Admission(StateDirectory dir, BudgetStore budgets, ApprovalStore approvals) implements AutoCloseable {
    static Admission open(Path dir, CovenantSet covenants, Clock clock) throws IOException {
      StateDirectory state = StateDirectory.open(dir);
      BudgetStore budgets = null;
      try {
        budgets = BudgetStore.open(dir, covenants::limits, clock.instant());
        return new Admission(state, budgets, ApprovalStore.open(dir, clock.instant()));
      } catch (IOException | RuntimeException e) {
        if (budgets != null) {
          budgets.close();
        }
        state.close();
        throw e;
      }
    }

    boolean writable() {
      return budgets.writable() && approvals.writable();
    }

    @Override
    public void close() {
      approvals.close();
      budgets.close();
      dir.close();
    }
  }

  /**
   * Opens the gateway's audit log with the options the gateway needs (its checkpoint signer): the
   * file log by default, another store or a log the caller also reads otherwise.
   */
  @FunctionalInterface
  public interface AuditLogOpener {
    AuditLog open(FileAuditLog.Options options) throws IOException;
  }

  /** The configured store: PostgreSQL when {@code audit-postgres} is given, else the file log. */
  private static AuditLog openAuditLog(GatewayConfig config, FileAuditLog.Options options) throws IOException {
    if (config.auditPostgres().isEmpty()) {
      return FileAuditLog.open(config.auditLog(), options);
    }
    GatewayConfig.AuditPostgres pg = config.auditPostgres().get();
    nl.schakel.audit.PostgresAuditLog.Options pgOptions = nl.schakel.audit.PostgresAuditLog.Options.defaults()
        .withLogName(pg.logName());
    if (options.checkpointSigner().isPresent()) {
      pgOptions = pgOptions.withCheckpointSigner(options.checkpointSigner().get());
    }
    return nl.schakel.audit.PostgresAuditLog.open(pg.url(), pg.user(), pg.password(System::getenv), pgOptions);
  }

  /** Starts the gateway on its configured audit log and returns once it is listening. */
  public static Gateway start(GatewayConfig config, Clock clock) throws Exception {
    return start(config, clock, (AuditLogOpener) options -> openAuditLog(config, options));
  }

  /**
   * Starts the gateway on an audit log the caller opened. Such a log signs no checkpoints unless
   * the caller gave it the gateway's signer, so receipts then carry no {@code checkpoint}; prefer
   * {@link #start(GatewayConfig, Clock, AuditLogOpener)}. The gateway owns the log from here: it
   * closes it when it stops, or when it fails to start.
   */
  public static Gateway start(GatewayConfig config, Clock clock, AuditLog auditLog) throws Exception {
    return start(config, clock, (AuditLogOpener) options -> auditLog, auditLog);
  }

  /**
   * Starts the gateway on the log {@code opener} opens with the gateway's options: checkpoints
   * signed by the gateway's certified signing key under origin {@code schakel/<federation>/gateway}
   * (D6 superseded: receipts carry the signed checkpoint). The gateway owns the log from here.
   */
  public static Gateway start(GatewayConfig config, Clock clock, AuditLogOpener opener) throws Exception {
    return start(config, clock, opener, null);
  }

  private static Gateway start(GatewayConfig config, Clock clock, AuditLogOpener opener, AuditLog opened)
      throws Exception {
    CovenantSet covenants;
    HmacPseudonymiser matching;
    HmacPseudonymiser auditPseudonyms;
    Admission admission = null;
    GatewayPki pki;
    CheckpointSigner signer;
    BearerAuth bearer;
    AuditLog auditLog = opened;
    try {
      bearer = bearerAuth(config);
      pki = GatewayPki.load(config, clock.instant());
      signer = new CheckpointSigner(pki.own().signingKey(), origin(config.federation()));
      covenants = CovenantSet.load(config.covenants(), partyKeys(config));
      matching = HmacPseudonymiser.create(PseudonymKey.readFrom(config.matchingKey()), MATCHING);
      auditPseudonyms = HmacPseudonymiser.create(PseudonymKey.readFrom(config.auditKey()), AUDIT);
      admission = Admission.open(config.stateDir(), covenants, clock);
      if (auditLog == null) {
        auditLog = opener.open(FileAuditLog.Options.defaults().withCheckpointSigner(signer));
      }
    } catch (IOException | RuntimeException e) {
      if (auditLog != null) {
        auditLog.close();
      }
      if (admission != null) {
        admission.close();
      }
      throw e;
    }
    return listen(config, clock, pki, signer, bearer, covenants, matching, auditPseudonyms, admission, auditLog);
  }

  private static Gateway listen(GatewayConfig config, Clock clock, GatewayPki pki, CheckpointSigner signer,
      BearerAuth bearer, CovenantSet covenants, HmacPseudonymiser matching, HmacPseudonymiser auditPseudonyms, Admission admission,
      AuditLog auditLog) throws Exception {
    NodeClients nodes = new NodeClients(config.nodes(), config.deadline(), pki, clock);
    AuditTrail audit = new AuditTrail(auditLog);
    Witnesses witnesses;
    try {
      witnesses = witnesses(config, pki, signer, nodes, auditLog, clock);
      witnesses.rollback().ifPresent(why -> log.error("INCIDENT {}; /health/ready reports DOWN", why));
    } catch (IOException | RuntimeException e) {
      nodes.close();
      admission.close();
      auditLog.close();
      throw e;
    }
    ScheduledExecutorService witnessing = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "schakel-witnessing");
      t.setDaemon(true);
      return t;
    });
    QueryService queries = new QueryService(covenants, nodes, matching, auditPseudonyms, audit, admission.budgets(),
        admission.approvals(), clock, pki.own().signingKey(),
        new SequenceWatch(config.sequentialIdentifiers().settings(), clock));
    ApprovalService approvals = new ApprovalService(admission.approvals(), queries, clock);

    Vertx vertx = Vertx.vertx();
    try {
      PartnersHandler partners = new PartnersHandler(covenants,
          config.nodes().stream().map(GatewayConfig.NodeEndpoint::party).collect(java.util.stream.Collectors.toSet()), pki);
      QueryTimings timings = new QueryTimings(System::nanoTime);
      Router router = router(vertx, bearer, new QueryHandler(queries, approvals, timings), new ApprovalHandler(approvals),
          partners, () -> audit.writable() && admission.writable(), audit, covenants, pki.expiry(), clock,
          new AuditHandler(audit, signer, auditPseudonyms, clock, witnesses), timings, witnesses::rollback);
      HttpServer server = vertx.createHttpServer()
          .requestHandler(router)
          .listen(config.listen().port(), config.listen().host())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      vertx.setPeriodic(SWEEP_MILLIS, id -> approvals.sweep());
      long every = config.witnessInterval().toMillis();
      witnessing.scheduleWithFixedDelay(() -> tickQuietly(witnesses), every, every, TimeUnit.MILLISECONDS);
      warnOfExpiry(pki.expiry(), clock.instant());
      vertx.setPeriodic(TimeUnit.DAYS.toMillis(1), id -> warnOfExpiry(pki.expiry(), clock.instant()));
      log.info("gateway for federation {} listening on http://{}:{} with {} nodes", config.federation(),
          config.listen().host(), server.actualPort(), config.nodes().size());
      return new Gateway(vertx, server, router, nodes, admission, auditLog, witnesses, witnessing);
    } catch (Exception e) {
      witnessing.shutdownNow();
      vertx.close();
      nodes.close();
      admission.close();
      auditLog.close();
      throw e;
    }
  }

  /**
   * Every configured node with a certified signing key is a witness, verified as {@code
   * schakel/node/<party>} with that key; a node without {@code signing-cert} cannot be.
   */
  private static Witnesses witnesses(GatewayConfig config, GatewayPki pki, CheckpointSigner signer, NodeClients nodes,
      AuditLog auditLog, Clock clock) throws IOException {
    Map<String, CosignatureVerifier> verifiers = new LinkedHashMap<>();
    for (GatewayConfig.NodeEndpoint node : config.nodes()) {
      Optional<GatewayPki.NodeKey> key = pki.nodeKey(node.party());
      if (key.isEmpty()) {
        log.warn("witnessing: node {} has no signing-cert, so its cosignatures cannot be verified; it is no witness",
            node.party());
        continue;
      }
      verifiers.put(node.party(), CosignatureVerifier.of(Witnesses.name(node.party()), key.get().key()));
    }
    Witnesses.Calls calls = new Witnesses.Calls() {
      @Override
      public java.util.concurrent.CompletableFuture<nl.schakel.proto.v1.CosignResponse> cosign(String party,
          nl.schakel.proto.v1.CosignRequest request) {
        return nodes.cosign(party, request);
      }

      @Override
      public String failure(String party, Throwable t) {
        return nodes.cosignFailure(party, t);
      }
    };
    return new Witnesses(auditLog, CheckpointVerifier.forVerifierKey(signer.verifierKey()), verifiers, calls,
        config.stateDir(), clock, config.deadline().toMillis() * 2 + 1000);
  }

  /** A failed round must not end the schedule: the next one retries. */
  private static void tickQuietly(Witnesses witnesses) {
    try {
      witnesses.tick();
    } catch (RuntimeException e) {
      log.error("witnessing round failed: {}", e.getClass().getName());
    }
  }

  /**
   * Logs a WARN per certificate the gateway depends on (its own, the CA's, each node's signing
   * certificate) that expires within {@link FederationTrust#RENEWAL_WARNING}; returns the
   * warnings. Run at start and daily.
   */
  static List<String> warnOfExpiry(CertificateExpiry expiry, Instant now) {
    List<String> warnings = expiry.warnings(now);
    warnings.forEach(w -> log.warn("renew: {}", w));
    return warnings;
  }

  /** The origin of the gateway's checkpoints and the name of its note key. */
  static String origin(String federation) {
    return "schakel/" + federation + "/gateway";
  }

  private static PartyKeys partyKeys(GatewayConfig config) throws IOException {
    try {
      return PartyKeys.readDirectory(config.partyKeys());
    } catch (IOException e) {
      throw new IOException("gateway cannot start: party-keys: " + e.getMessage(), e);
    }
  }

  /**
   * Bearer-token authentication with one verifier for every asking party's issuer, its keys read
   * now: a bad key file stops the start. Tokens are checked against the real time, as their issuer
   * means it, also when the gateway runs on another clock (a demo federation on a fixed day).
   */
  private static BearerAuth bearerAuth(GatewayConfig config) throws IOException {
    List<Issuer> issuers = new ArrayList<>();
    for (GatewayConfig.Analysts a : config.analysts()) {
      try {
        issuers.add(new Issuer(a.party(), a.issuer(), a.audience(), IssuerKeys.read(a.keys(), a.jwks())));
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException("gateway cannot start: analysts of party " + a.party() + ": " + e.getMessage(), e);
      }
    }
    if (issuers.isEmpty()) {
      log.warn("analysts: no credential issuer is configured for any party; every /v1 request is refused");
    }
    return new BearerAuth(CredentialVerifier.create(issuers),
        issuers.stream().map(Issuer::party).collect(java.util.stream.Collectors.toSet()), Clock.systemUTC());
  }

  /** Every route of the API, in one place; each path here is documented in openapi.yaml. */
  private static Router router(Vertx vertx, BearerAuth bearer, QueryHandler queries, ApprovalHandler approvals,
      PartnersHandler partners,
      BooleanSupplier stateWritable, AuditTrail audit, CovenantSet covenants, CertificateExpiry expiry, Clock clock,
      AuditHandler auditor, QueryTimings timings, java.util.function.Supplier<Optional<String>> rollback) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> ready(ctx, audit, stateWritable, covenants, expiry, clock, rollback));
    router.get("/openapi.yaml").handler(Gateway::openapi);
    router.get("/metrics").handler(ctx -> metrics(ctx, expiry, clock, timings));

    // Body first (it must see the request before any asynchronous handler), then authentication.
    router.route("/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
    router.route("/v1/*").handler(bearer);
    router.route(HttpMethod.POST, "/v1/*").handler(Gateway::requireJson);
    router.post("/v1/queries").handler(queries::ask);
    router.postWithRegex("/v1/queries:explain").setName("/v1/queries:explain").handler(queries::explain);
    router.get("/v1/queries/:queryId").handler(queries::status);
    router.get("/v1/approvals").handler(approvals::list);
    router.post("/v1/approvals/:approvalId").handler(approvals::decide);
    router.get("/v1/partners").handler(partners::list);
    router.get("/v1/audit/checkpoint").handler(auditor::checkpoint);
    router.get("/v1/audit/checkpoint/cosigned").handler(auditor::cosignedCheckpoint);
    router.get("/v1/audit/witnesses").handler(auditor::witnesses);
    router.get("/v1/audit/verifier-key").handler(auditor::verifierKey);
    router.get("/v1/audit/entries").handler(auditor::entries);
    router.get("/v1/audit/proof/inclusion").handler(auditor::inclusionProof);
    router.get("/v1/audit/proof/consistency").handler(auditor::consistencyProof);
    // A tile path has a variable number of segments (tlog-tiles), hence the regex.
    router.getWithRegex("/v1/audit/tile/.+").setName("/v1/audit/tile/{tilePath}").handler(auditor::tile);
    router.post("/v1/audit/search").handler(auditor::search);

    router.errorHandler(400, ctx -> Problem.of(400, "bad-request", "Bad request", "The request could not be read").send(ctx));
    router.errorHandler(401, ctx -> Problem.of(401, "unauthenticated", "Authentication required",
        "Send a valid bearer token (Authorization: Bearer <JWT>) from your party's issuer; it may have expired").send(ctx));
    router.errorHandler(404, ctx -> Problem.of(404, "not-found", "Not found", "No such resource; see /openapi.yaml").send(ctx));
    router.errorHandler(405, ctx -> Problem.of(405, "method-not-allowed", "Method not allowed",
        "This resource does not support " + ctx.request().method().name() + "; see /openapi.yaml").send(ctx));
    router.errorHandler(413, ctx -> Problem.of(413, "body-too-large", "Request body too large",
        "The body may be at most " + MAX_BODY_BYTES + " bytes").send(ctx));
    router.errorHandler(500, ctx -> {
      log.error("unhandled failure: {}", ctx.failure() == null ? "none" : ctx.failure().getClass().getName());
      Problem.of(500, "internal-error", "Internal error", "The gateway failed unexpectedly").send(ctx);
    });
    return router;
  }

  private static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      Problem.of(415, "unsupported-media-type", "Unsupported media type", "Send the body as application/json").send(ctx);
      return;
    }
    ctx.next();
  }

  private static void ready(RoutingContext ctx, AuditTrail audit, BooleanSupplier stateWritable, CovenantSet covenants,
      CertificateExpiry expiry, Clock clock, java.util.function.Supplier<Optional<String>> rollback) {
    Instant now = clock.instant();
    Optional<String> rolledBack = rollback.get();
    boolean logOk = audit.writable() && rolledBack.isEmpty();
    boolean stateOk = stateWritable.getAsBoolean();
    boolean inForce = covenants.anyInForceAt(now);
    // Only an expired certificate makes the gateway unready; one about to expire is a warning.
    Optional<CertificateExpiry.Watched> soonest = expiry.soonest();
    boolean certsOk = soonest.map(w -> !now.isAfter(w.notAfter())).orElse(true);
    boolean up = logOk && stateOk && inForce && certsOk;
    JsonObject body = new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("checks", new JsonObject()
            .put("auditLog", rolledBack.orElse(audit.writable() ? "writable" : "not writable"))
            .put("admissionState", stateOk ? "writable" : "not writable")
            .put("covenant", inForce ? "in force" : "none in force today")
            .put("certificates", soonest.map(w -> certificates(w, now)).orElse("none")));
    json(ctx, up ? 200 : 503, body);
  }

  /**
   * Prometheus text metrics, served to loopback callers only (API.md: metrics on a management port
   * or loopback). Labels carry file names and party ids, never identifiers or outcomes.
   */
  private static void metrics(RoutingContext ctx, CertificateExpiry expiry, Clock clock, QueryTimings timings) {
    String remote = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
    if (!(remote.equals("127.0.0.1") || remote.equals("0:0:0:0:0:0:0:1") || remote.equals("::1"))) {
      Problem.of(403, "metrics-loopback-only", "Metrics are served on loopback only",
          "Scrape /metrics from the gateway's own host").send(ctx);
      return;
    }
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4")
        .end(certificateMetrics(expiry, clock.instant()) + timings.prometheus());
  }

  /** One gauge per watched certificate: whole days until it expires (negative once expired). */
  static String certificateMetrics(CertificateExpiry expiry, Instant now) {
    StringBuilder out = new StringBuilder()
        .append("# HELP schakel_certificate_expiry_days Whole days until the certificate expires; alert below 30.\n")
        .append("# TYPE schakel_certificate_expiry_days gauge\n");
    for (CertificateExpiry.Watched w : expiry.certificates()) {
      out.append("schakel_certificate_expiry_days{party=\"").append(w.party().replace("\"", ""))
          .append("\",file=\"").append(String.valueOf(w.file().getFileName()).replace("\"", ""))
          .append("\"} ").append(w.daysLeft(now)).append('\n');
    }
    return out.toString();
  }

  /** The readiness line for the certificate that expires first. */
  static String certificates(CertificateExpiry.Watched soonest, Instant now) {
    long days = soonest.daysLeft(now);
    return now.isAfter(soonest.notAfter())
        ? "expired: " + soonest.file().getFileName() + " of party " + soonest.party() + " expired "
            + (-days) + " days ago"
        : (FederationTrust.expiresWithin(soonest.certificate(), FederationTrust.RENEWAL_WARNING, now) ? "renew: " : "valid: ")
            + "soonest expiry in " + days + " days (" + soonest.file().getFileName() + " of party " + soonest.party() + ")";
  }

  private static void openapi(RoutingContext ctx) {
    try (InputStream in = Gateway.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        ctx.fail(500);
        return;
      }
      ctx.response().putHeader("Content-Type", "application/yaml").end(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      ctx.fail(500);
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  public int port() {
    return server.actualPort();
  }

  /** The witnessing of the log, which tests drive round by round. */
  Witnesses witnesses() {
    return witnesses;
  }

  /** The routes served, for the test that holds openapi.yaml to them. */
  List<Route> routes() {
    return router.getRoutes();
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("gateway did not stop cleanly: {}", e.getClass().getSimpleName());
    } finally {
      witnessing.shutdownNow();
      try {
        witnessing.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      nodes.close();
      admission.close();
      auditLog.close();
    }
  }
}
