package nl.schakel.gateway;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/queries} and {@code POST /v1/queries:explain}: HTTP in, {@link QueryService} out. */
final class QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);

  private final QueryService service;
  private final QueryRequestParser parser = new QueryRequestParser();

  QueryHandler(QueryService service) {
    this.service = service;
  }

  void ask(RoutingContext ctx) {
    Optional<Asker> asker = asker(ctx);
    if (asker.isEmpty()) {
      return;
    }
    QueryRequest req;
    try {
      req = parser.parse(ctx.body().asString(), false);
    } catch (InvalidRequestException e) {
      Problem.invalid(e.errors()).send(ctx);
      return;
    }
    Future.fromCompletionStage(service.ask(asker.get(), req, Optional.ofNullable(ctx.request().getHeader("traceparent"))),
            ctx.vertx().getOrCreateContext())
        .onSuccess(reply -> {
          // Who asked what kind of question and how it ended; never the subject.
          log.info("query={} asker={}/{} purpose={} status={}", reply.body().getString("queryId"),
              asker.get().party(), asker.get().person(), req.purpose(), reply.body().getString("status"));
          ctx.response()
              .setStatusCode(reply.status())
              .putHeader("Content-Type", "application/json")
              .end(reply.body().encode());
        })
        .onFailure(err -> failure(ctx, err));
  }

  void explain(RoutingContext ctx) {
    Optional<Asker> asker = asker(ctx);
    if (asker.isEmpty()) {
      return;
    }
    try {
      QueryRequest req = parser.parse(ctx.body().asString(), true);
      ctx.response().putHeader("Content-Type", "application/json").end(service.explain(asker.get(), req).encode());
    } catch (InvalidRequestException e) {
      Problem.invalid(e.errors()).send(ctx);
    } catch (QueryService.Rejected e) {
      e.problem.send(ctx);
    }
  }

  private static Optional<Asker> asker(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header == null ? "" : header.substring(Math.min(header.length(), "Bearer ".length()));
    Optional<Asker> asker = Optional.ofNullable(ctx.user())
        .flatMap(u -> Asker.fromClaims(u.principal(), token));
    if (asker.isEmpty()) {
      Problem.of(401, "invalid-token", "The token does not name an analyst",
          "The bearer token must carry claims sub (the person), org (the party) and roles (an array)").send(ctx);
    }
    return asker;
  }

  private static void failure(RoutingContext ctx, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof QueryService.Rejected r) {
      r.problem.send(ctx);
      return;
    }
    // Unexpected: log the type only (the message could carry request data), answer generically.
    log.error("query failed unexpectedly: {}", cause.getClass().getName());
    Problem.of(500, "internal-error", "Internal error", "The gateway failed unexpectedly; nothing was answered")
        .send(ctx);
  }
}
