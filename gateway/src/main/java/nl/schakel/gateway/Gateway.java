package nl.schakel.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.FileAuditLog;
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
  private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

  private final Vertx vertx;
  private final HttpServer server;
  private final NodeClients nodes;
  private final AuditLog auditLog;

  private Gateway(Vertx vertx, HttpServer server, NodeClients nodes, AuditLog auditLog) {
    this.vertx = vertx;
    this.server = server;
    this.nodes = nodes;
    this.auditLog = auditLog;
  }

  /** Starts the gateway and returns once it is listening. */
  public static Gateway start(GatewayConfig config, Clock clock) throws Exception {
    return start(config, clock, FileAuditLog.open(config.auditLog()));
  }

  static Gateway start(GatewayConfig config, Clock clock, AuditLog auditLog) throws Exception {
    CovenantSet covenants = CovenantSet.load(config.covenants());
    var matching = HmacPseudonymiser.create(PseudonymKey.readFrom(config.matchingKey()), MATCHING);
    var auditPseudonyms = HmacPseudonymiser.create(PseudonymKey.readFrom(config.auditKey()), AUDIT);
    NodeClients nodes = new NodeClients(config.nodes(), config.deadline());
    AuditTrail audit = new AuditTrail(auditLog);
    QueryService queries = new QueryService(covenants, nodes, matching, auditPseudonyms, audit, clock);

    Vertx vertx = Vertx.vertx();
    try {
      JWTAuth jwt = JWTAuth.create(vertx, jwtOptions(config.analysts()));
      Router router = router(vertx, jwt, new QueryHandler(queries), audit, covenants, clock);
      HttpServer server = vertx.createHttpServer()
          .requestHandler(router)
          .listen(config.listen().port(), config.listen().host())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      log.info("gateway for federation {} listening on http://{}:{} with {} nodes", config.federation(),
          config.listen().host(), server.actualPort(), config.nodes().size());
      return new Gateway(vertx, server, nodes, auditLog);
    } catch (Exception e) {
      vertx.close();
      nodes.close();
      auditLog.close();
      throw e;
    }
  }

  private static JWTAuthOptions jwtOptions(GatewayConfig.Analysts analysts) throws IOException {
    JWTAuthOptions options = new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setIssuer(analysts.issuer()).setAudience(List.of(analysts.audience())));
    for (GatewayConfig.IssuerKey key : analysts.keys()) {
      options.addPubSecKey(new PubSecKeyOptions()
          .setAlgorithm(key.algorithm())
          .setBuffer(Files.readString(key.publicKey())));
    }
    return options;
  }

  private static Router router(Vertx vertx, JWTAuth jwt, QueryHandler queries, AuditTrail audit,
      CovenantSet covenants, Clock clock) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> ready(ctx, audit, covenants, clock));
    router.get("/openapi.yaml").handler(Gateway::openapi);

    // Body first (it must see the request before any asynchronous handler), then authentication.
    router.route("/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
    router.route("/v1/*").handler(JWTAuthHandler.create(jwt));
    router.route(HttpMethod.POST, "/v1/*").handler(Gateway::requireJson);
    router.post("/v1/queries").handler(queries::ask);
    router.postWithRegex("/v1/queries:explain").handler(queries::explain);

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

  private static void ready(RoutingContext ctx, AuditTrail audit, CovenantSet covenants, Clock clock) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), AMSTERDAM);
    boolean logOk = audit.writable();
    boolean inForce = covenants.all().stream().anyMatch(l -> l.covenant().inForceOn(today));
    JsonObject body = new JsonObject()
        .put("status", logOk && inForce ? "UP" : "DOWN")
        .put("checks", new JsonObject()
            .put("auditLog", logOk ? "writable" : "not writable")
            .put("covenant", inForce ? "in force" : "none in force today"));
    json(ctx, logOk && inForce ? 200 : 503, body);
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

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("gateway did not stop cleanly: {}", e.getClass().getSimpleName());
    } finally {
      nodes.close();
      auditLog.close();
    }
  }
}
