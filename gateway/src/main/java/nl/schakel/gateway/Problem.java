package nl.schakel.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.OptionalLong;

/**
 * An RFC 9457 problem detail, the one shape of every error the gateway returns. The detail says
 * what was expected and what the caller can do; it never echoes an identifier.
 */
record Problem(int status, String type, String title, String detail, List<FieldError> errors,
               OptionalLong retryAfterSeconds) {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:schakel:problem:";

  Problem {
    errors = List.copyOf(errors);
  }

  Problem(int status, String type, String title, String detail, List<FieldError> errors) {
    this(status, type, title, detail, errors, OptionalLong.empty());
  }

  /** The same problem with a {@code Retry-After} header (RFC 9110 section 10.2.3), in whole seconds. */
  Problem retryAfter(long seconds) {
    return new Problem(status, type, title, detail, errors, OptionalLong.of(seconds));
  }

  static Problem invalid(List<FieldError> errors) {
    return new Problem(400, "invalid-request", "The request is invalid",
        errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid; see errors",
        errors);
  }

  static Problem of(int status, String type, String title, String detail) {
    return new Problem(status, type, title, detail, List.of());
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", TYPE_PREFIX + type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      json.put("errors", list);
    }
    return json;
  }

  void send(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    retryAfterSeconds.ifPresent(s -> ctx.response().putHeader("Retry-After", Long.toString(s)));
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(toJson().encode());
  }
}
