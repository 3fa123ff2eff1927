package nl.schakel.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The auditor's side of the gateway's audit endpoints (API.md, "Audit") over HTTP with a bearer
 * token. Every call is logged by the gateway as an AUDIT_ACCESS entry, so the log grows while it
 * is read: a read covers the tree the checkpoint fetched first names.
 */
final class AuditGateway {
  /** The most entries the gateway returns per call of {@code /v1/audit/entries}. */
  static final int PAGE = 1000;

  /** A call the gateway refused or failed; the message is fit for the auditor. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private final URI gateway;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  AuditGateway(URI gateway, String token) {
    this.gateway = gateway;
    this.token = token;
  }

  /**
   * The current tree size, from the newest signed checkpoint's second line, unverified: fit for
   * choosing what to fetch, never for trusting what was fetched (cross-check verifies the note).
   */
  long size() throws Failure {
    String note = checkpoint();
    String[] lines = note.split("\n", 3);
    if (lines.length < 3 || !lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new Failure("the gateway's checkpoint is not a C2SP checkpoint (no tree size on line 2)");
    }
    return Long.parseLong(lines[1]);
  }

  /** {@code GET /v1/audit/checkpoint}: the newest signed checkpoint note, as sent (unverified). */
  String checkpoint() throws Failure {
    return send(HttpRequest.newBuilder(gateway.resolve("/v1/audit/checkpoint")).GET());
  }

  /** {@code GET /v1/audit/checkpoint/cosigned}: the newest cosigned checkpoint note (unverified). */
  String cosignedCheckpoint() throws Failure {
    return send(HttpRequest.newBuilder(gateway.resolve("/v1/audit/checkpoint/cosigned")).GET());
  }

  /**
   * {@code text} without control characters (below 0x20, DEL, and the C1 range 0x80-0x9F, which
   * some terminals read as escape sequences): whatever the gateway or a log says is printed
   * through this, so a hostile string cannot rewrite the auditor's terminal or forge output lines.
   */
  static String printable(String text) {
    StringBuilder clean = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f)) {
        clean.append(c);
      }
    }
    return clean.toString();
  }

  /** A copy of a decoded JSON value with every string (keys too) passed through {@link #printable}. */
  static Object printable(Object json) {
    if (json instanceof String s) {
      return printable(s);
    }
    if (json instanceof JsonObject o) {
      JsonObject copy = new JsonObject();
      o.forEach(e -> copy.put(printable(e.getKey()), printable(e.getValue())));
      return copy;
    }
    if (json instanceof JsonArray a) {
      JsonArray copy = new JsonArray();
      a.forEach(v -> copy.add(printable(v)));
      return copy;
    }
    return json;
  }

  /** Entries {@code [start, end)} as the gateway sends them, fetched in pages. */
  List<JsonObject> entries(long start, long end) throws Failure {
    List<JsonObject> all = new ArrayList<>();
    for (long from = start; from < end; from += PAGE) {
      long to = Math.min(end, from + PAGE);
      JsonArray page = json(HttpRequest.newBuilder(gateway.resolve("/v1/audit/entries?start=" + from + "&end=" + to))
          .GET()).getJsonArray("entries", new JsonArray());
      for (int i = 0; i < page.size(); i++) {
        all.add(page.getJsonObject(i));
      }
    }
    return all;
  }

  /** {@code POST /v1/audit/search}: the subject travels in the body, never in a URL. */
  JsonObject search(JsonObject criteria) throws Failure {
    return json(HttpRequest.newBuilder(gateway.resolve("/v1/audit/search"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(criteria.encode())));
  }

  private JsonObject json(HttpRequest.Builder request) throws Failure {
    String body = send(request);
    try {
      return new JsonObject(body);
    } catch (DecodeException e) {
      throw new Failure("the gateway answered without JSON");
    }
  }

  private String send(HttpRequest.Builder request) throws Failure {
    HttpResponse<String> response;
    try {
      response = http.send(request.timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Failure("cannot reach the gateway at " + gateway + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    if (response.statusCode() != 200) {
      throw new Failure("HTTP " + response.statusCode() + " from " + request.build().uri().getPath() + ": "
          + printable(problem(response.body())));
    }
    return response.body();
  }

  private static String problem(String body) {
    try {
      JsonObject json = new JsonObject(body);
      StringBuilder text = new StringBuilder(json.getString("title", "")).append(": ").append(json.getString("detail", ""));
      JsonArray errors = json.getJsonArray("errors", new JsonArray());
      for (int i = 0; i < errors.size(); i++) {
        JsonObject e = errors.getJsonObject(i);
        text.append("; ").append(e.getString("field")).append(": ").append(e.getString("message"));
      }
      return text.toString();
    } catch (DecodeException | ClassCastException e) {
      return "(no problem details)";
    }
  }
}
