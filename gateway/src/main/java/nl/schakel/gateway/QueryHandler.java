package nl.schakel.gateway;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/queries}, {@code POST /v1/queries:explain} and {@code GET /v1/queries/{queryId}}:
 * HTTP in, {@link QueryService} out.
 */
final class QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);
  static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final QueryService service;
  private final ApprovalService approvals;
  private final QueryRequestParser parser = new QueryRequestParser();
  private final QueryTimings timings;

  QueryHandler(QueryService service, ApprovalService approvals, QueryTimings timings) {
    this.service = service;
    this.approvals = approvals;
    this.timings = timings;
  }

  void ask(RoutingContext ctx) {
    QueryTimings.Question timing = timings.start();
    Optional<Asker> asker = Http.caller(ctx);
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
    // Recorded only for questions handed to the service: a malformed request is no question.
    Future.fromCompletionStage(service.ask(asker.get(), req, Optional.ofNullable(ctx.request().getHeader("traceparent")),
                timing), ctx.vertx().getOrCreateContext())
        .onSuccess(reply -> {
          // Who asked what kind of question and how it ended; never the subject.
          log.info("query={} asker={}/{} purpose={} status={}", reply.body().getString("queryId"),
              asker.get().party(), asker.get().person(), req.purpose(), reply.body().getString("status"));
          Http.json(ctx, reply.status(), reply.body());
          timing.finish();
        })
        .onFailure(err -> {
          Http.failure(ctx, err);
          timing.finish();
        });
  }

  void explain(RoutingContext ctx) {
    Optional<Asker> asker = Http.caller(ctx);
    if (asker.isEmpty()) {
      return;
    }
    try {
      QueryRequest req = parser.parse(ctx.body().asString(), true);
      Http.json(ctx, 200, service.explain(asker.get(), req));
    } catch (InvalidRequestException e) {
      Problem.invalid(e.errors()).send(ctx);
    } catch (QueryService.Rejected e) {
      e.problem.send(ctx);
    }
  }

  /** The asker's own question that waited for approval: still pending, or its final result. */
  void status(RoutingContext ctx) {
    Optional<Asker> asker = Http.caller(ctx);
    if (asker.isEmpty()) {
      return;
    }
    String queryId = ctx.pathParam("queryId");
    if (queryId == null || !ID.matcher(queryId).matches()) {
      notFound(ctx);
      return;
    }
    Future.fromCompletionStage(approvals.status(asker.get(), queryId), ctx.vertx().getOrCreateContext())
        .onSuccess(body -> body.ifPresentOrElse(b -> Http.json(ctx, 200, b), () -> notFound(ctx)))
        .onFailure(err -> Http.failure(ctx, err));
  }

  private static void notFound(RoutingContext ctx) {
    // The same answer for "no such question" and "not yours": it reveals nobody else's questions.
    Problem.of(404, "query-not-found", "No such question of yours",
        "You have no question with this id that waited for approval; only its asker can fetch it").send(ctx);
  }
}
