package nl.schakel.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code GET /v1/approvals} and {@code POST /v1/approvals/{approvalId}}: HTTP in, {@link ApprovalService} out. */
final class ApprovalHandler {
  /** A comment is a short justification, not a document. */
  static final int MAX_COMMENT = 1000;
  private static final Set<String> FIELDS = Set.of("decision", "comment");
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private final ApprovalService service;

  ApprovalHandler(ApprovalService service) {
    this.service = service;
  }

  void list(RoutingContext ctx) {
    Optional<Asker> caller = Http.caller(ctx);
    if (caller.isEmpty()) {
      return;
    }
    List<String> status = ctx.queryParam("status");
    if (status.size() > 1 || (status.size() == 1 && !status.get(0).equals("pending"))) {
      Problem.invalid(List.of(new FieldError("status", "must be pending (only pending approvals are listed)"))).send(ctx);
      return;
    }
    Http.json(ctx, 200, service.pending(caller.get()));
  }

  void decide(RoutingContext ctx) {
    Optional<Asker> caller = Http.caller(ctx);
    if (caller.isEmpty()) {
      return;
    }
    String approvalId = ctx.pathParam("approvalId");
    if (approvalId == null || !QueryHandler.ID.matcher(approvalId).matches()) {
      Problem.of(404, "approval-not-found", "No such approval",
          "No approval has this id; list what you may approve with GET /v1/approvals?status=pending").send(ctx);
      return;
    }
    boolean approve;
    try {
      approve = parse(ctx.body().asString());
    } catch (InvalidRequestException e) {
      Problem.invalid(e.errors()).send(ctx);
      return;
    }
    Future.fromCompletionStage(service.decide(caller.get(), approvalId, approve), ctx.vertx().getOrCreateContext())
        .onSuccess(body -> Http.json(ctx, 200, body))
        .onFailure(err -> Http.failure(ctx, err));
  }

  /**
   * {@code {"decision": "approve"|"reject", "comment": "…"}} → whether it approves. The comment is
   * checked but not kept: it is free text that could hold an identifier, and nothing at rest may.
   */
  static boolean parse(String body) throws InvalidRequestException {
    JsonNode root;
    try {
      root = body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(List.of(new FieldError("body", "is not valid JSON")));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException(List.of(new FieldError("body", "must be a JSON object like {\"decision\": \"approve\"}")));
    }
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        String shown = name.matches("[A-Za-z][A-Za-z0-9]{0,31}") ? name : "(unprintable name)";
        errors.add(new FieldError(shown, "unknown field; expected one of " + FIELDS.stream().sorted().toList()));
      }
    }
    JsonNode decision = root.get("decision");
    if (decision == null || !decision.isTextual() || !Set.of("approve", "reject").contains(decision.asText())) {
      errors.add(new FieldError("decision", "is required: approve or reject"));
    }
    JsonNode comment = root.get("comment");
    if (comment != null && !comment.isNull() && (!comment.isTextual() || comment.asText().length() > MAX_COMMENT)) {
      errors.add(new FieldError("comment", "must be a string of at most " + MAX_COMMENT + " characters"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return decision.asText().equals("approve");
  }
}
