package nl.schakel.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ask", mixinStandardHelpOptions = true,
    description = {"Ask the gateway a question and print the answers.",
        "Exit codes: 0 every allowed party answered; 1 error (bad input, token, gateway);",
        "2 refused (by the convenant or a budget); 3 a party was unavailable (its answer is unknown, not no)."})
final class AskCommand implements Callable<Integer> {
  @Option(names = "--gateway", required = true, paramLabel = "URL", description = "e.g. http://127.0.0.1:8080")
  URI gateway;

  @Option(names = "--token", required = true, paramLabel = "JWT", description = "bearer token (see `schakel token`)")
  String token;

  @Option(names = "--purpose", required = true)
  String purpose;

  @Option(names = "--case", paramLabel = "REF", description = "case reference (zaaknummer)")
  String caseReference;

  @ArgGroup(exclusive = true, multiplicity = "1")
  SubjectOptions subject;

  static final class SubjectOptions {
    @Option(names = "--bsn", description = "a person by BSN")
    String bsn;

    @Option(names = "--bag", paramLabel = "ID", description = "an address by BAG nummeraanduiding id")
    String bag;

    @ArgGroup(exclusive = false)
    PostalOptions postal;

    @Option(names = "--kvk", description = "an organisation by KvK number")
    String kvk;

    @Option(names = "--area", paramLabel = "CODE", description = "a CBS area code (BU…, WK…, GM…)")
    String area;
  }

  static final class PostalOptions {
    @Option(names = "--postcode", required = true)
    String postcode;

    @Option(names = "--number", required = true, description = "house number")
    int number;

    @Option(names = "--letter", description = "house letter")
    String letter;

    @Option(names = "--addition", description = "house number addition")
    String addition;
  }

  @Option(names = "--category", paramLabel = "CAT", description = "limit to a category (repeatable)")
  List<String> categories;

  @Option(names = "--responder", paramLabel = "PARTY", description = "ask only this party (repeatable)")
  List<String> responders;

  @Option(names = "--covenant", paramLabel = "ID")
  String covenant;

  @Option(names = "--json", description = "print the gateway's JSON response as is")
  boolean json;

  @Override
  public Integer call() {
    JsonObject body = new JsonObject().put("purpose", purpose);
    if (caseReference != null) {
      body.put("caseReference", caseReference);
    }
    body.put("subject", subjectJson());
    if (categories != null) {
      body.put("categories", new JsonArray(categories));
    }
    if (responders != null) {
      body.put("responders", new JsonArray(responders));
    }
    if (covenant != null) {
      body.put("covenant", covenant);
    }
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
          HttpRequest.newBuilder(gateway.resolve("/v1/queries"))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.err.println("cannot reach the gateway at " + gateway + ": " + e.getClass().getSimpleName());
      return Exits.ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Exits.ERROR;
    }
    return render(response.statusCode(), response.body(), json, System.out, System.err);
  }

  private JsonObject subjectJson() {
    if (subject.bsn != null) {
      return new JsonObject().put("type", "person").put("bsn", subject.bsn);
    }
    if (subject.bag != null) {
      return new JsonObject().put("type", "address").put("bagId", subject.bag);
    }
    if (subject.postal != null) {
      JsonObject a = new JsonObject().put("type", "address").put("postcode", subject.postal.postcode)
          .put("houseNumber", subject.postal.number);
      if (subject.postal.letter != null) {
        a.put("houseLetter", subject.postal.letter);
      }
      if (subject.postal.addition != null) {
        a.put("addition", subject.postal.addition);
      }
      return a;
    }
    if (subject.kvk != null) {
      return new JsonObject().put("type", "organisation").put("kvk", subject.kvk);
    }
    return new JsonObject().put("type", "area").put("code", subject.area);
  }

  /** Prints a gateway response for people (or as JSON) and returns the exit code it means. */
  static int render(int status, String body, boolean asJson, PrintStream out, PrintStream err) {
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException e) {
      err.println("gateway answered HTTP " + status + " without JSON");
      return Exits.ERROR;
    }
    if (status != 200) {
      if (asJson) {
        out.println(json.encodePrettily());
      } else {
        err.println("HTTP " + status + " " + json.getString("title", "") + ": " + json.getString("detail", ""));
        JsonArray errors = json.getJsonArray("errors", new JsonArray());
        for (int i = 0; i < errors.size(); i++) {
          JsonObject e = errors.getJsonObject(i);
          err.println("  " + e.getString("field") + ": " + e.getString("message"));
        }
      }
      return status == 403 || status == 429 ? Exits.REFUSED : Exits.ERROR;
    }
    if (asJson) {
      out.println(json.encodePrettily());
    } else {
      table(json, out);
    }
    return switch (json.getString("status", "")) {
      case "complete" -> Exits.OK;
      case "refused" -> Exits.REFUSED;
      case "partial" -> Exits.UNAVAILABLE;
      default -> Exits.ERROR;
    };
  }

  private static void table(JsonObject json, PrintStream out) {
    JsonObject covenant = json.getJsonObject("covenant", new JsonObject());
    out.printf("query %s  status %s  convenant %s v%s%n%n", json.getString("queryId"), json.getString("status"),
        covenant.getString("id", "?"), covenant.getValue("version", "?"));
    out.printf("%-18s %-14s %-12s %s%n", "PARTY", "ANSWER", "OUTCOME", "DETAIL");
    JsonArray answers = json.getJsonArray("answers", new JsonArray());
    for (int i = 0; i < answers.size(); i++) {
      JsonObject a = answers.getJsonObject(i);
      String outcome = a.getString("outcome", "");
      String detail = switch (outcome) {
        case "hit" -> a.containsKey("contact") ? "contact: " + a.getString("contact") : "";
        case "count" -> a.getJsonObject("count").getString("display");
        case "refused" -> a.getString("reason", "") + (a.containsKey("detail") ? ": " + a.getString("detail") : "");
        // Shouted on purpose: an unavailable party's answer is unknown, and must not read as "no".
        case "unavailable" -> "UNKNOWN, not no-hit: " + a.getString("reason", "");
        default -> "";
      };
      out.printf("%-18s %-14s %-12s %s%n", a.getString("party"), a.getString("answer", "-"),
          outcome.isEmpty() ? "(combined)" : outcome.equals("unavailable") ? "UNAVAILABLE" : outcome, detail);
    }
    JsonObject combined = json.getJsonObject("combined");
    if (combined != null) {
      out.printf("%ncombined outcome (hit-any): %s%n", combined.getString("outcome"));
    }
    JsonObject receipt = json.getJsonObject("receipt");
    if (receipt != null) {
      out.printf("%nlogged as audit entry %s (tree size %s)%n", receipt.getValue("logIndex"), receipt.getValue("treeSize"));
    }
  }
}
