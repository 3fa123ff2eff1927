package nl.schakel.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every handler shares: who is calling, and how a JSON body or a failure is sent. */
final class Http {
  private static final Logger log = LoggerFactory.getLogger(Http.class);

  private Http() {}

  /** The analyst {@link BearerAuth} verified, or empty after a 401 has been sent. */
  static Optional<Asker> caller(RoutingContext ctx) {
    Optional<Asker> asker = Optional.ofNullable(ctx.get(BearerAuth.ASKER));
    if (asker.isEmpty()) {
      Problem.of(401, "unauthenticated", "Authentication required",
          "Send a valid bearer token (Authorization: Bearer <JWT>) from your party's issuer").send(ctx);
    }
    return asker;
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Sends the problem of a {@link QueryService.Rejected}, or a generic 500 for anything unexpected. */
  static void failure(RoutingContext ctx, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof QueryService.Rejected r) {
      r.problem.send(ctx);
      return;
    }
    // Unexpected: log the type only (the message could carry request data), answer generically.
    log.error("request failed unexpectedly: {}", cause.getClass().getName());
    Problem.of(500, "internal-error", "Internal error", "The gateway failed unexpectedly; nothing was answered")
        .send(ctx);
  }
}
