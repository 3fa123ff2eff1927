package nl.schakel.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel audit search}: "who asked about me?" (a data-subject access request, AVG art. 15)
 * or any other search of the gateway's log. The subject is sent in the request body and
 * pseudonymised by the gateway; it never appears in a URL, nor in what this command prints.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {"Search the gateway's audit log (POST /v1/audit/search) and print the matching entries.",
        "Role auditor finds its own party's entries, role fg all. Exit 0 on success, 1 on an error."})
final class AuditSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--gateway", required = true, paramLabel = "URL", description = "e.g. http://127.0.0.1:8080")
  URI gateway;

  @Option(names = "--token", required = true, paramLabel = "JWT", description = "bearer token of an auditor or fg")
  String token;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Subject subject;

  static final class Subject {
    @Option(names = "--subject-bsn", paramLabel = "BSN", description = "a person by BSN")
    String bsn;

    @Option(names = "--subject-bag", paramLabel = "ID", description = "an address by BAG nummeraanduiding id")
    String bag;

    @ArgGroup(exclusive = false)
    Postal postal;

    @Option(names = "--subject-kvk", paramLabel = "KVK", description = "an organisation by KvK number")
    String kvk;

    @Option(names = "--subject-area", paramLabel = "CODE", description = "a CBS area code")
    String area;

    JsonObject json() {
      if (bsn != null) {
        return new JsonObject().put("type", "person").put("bsn", bsn);
      }
      if (bag != null) {
        return new JsonObject().put("type", "address").put("bagId", bag);
      }
      if (postal != null) {
        JsonObject a = new JsonObject().put("type", "address").put("postcode", postal.postcode)
            .put("houseNumber", postal.number);
        if (postal.letter != null) {
          a.put("houseLetter", postal.letter);
        }
        if (postal.addition != null) {
          a.put("addition", postal.addition);
        }
        return a;
      }
      if (kvk != null) {
        return new JsonObject().put("type", "organisation").put("kvk", kvk);
      }
      return new JsonObject().put("type", "area").put("code", area);
    }
  }

  static final class Postal {
    @Option(names = "--subject-postcode", required = true)
    String postcode;

    @Option(names = "--subject-number", required = true, description = "house number")
    int number;

    @Option(names = "--subject-letter", description = "house letter")
    String letter;

    @Option(names = "--subject-addition", description = "house number addition")
    String addition;
  }

  @Option(names = "--purpose")
  String purpose;

  @Option(names = "--analyst", paramLabel = "PERSON", description = "the asking person (token sub)")
  String analyst;

  @Option(names = "--case", paramLabel = "REF", description = "case reference (zaaknummer)")
  String caseReference;

  @Option(names = "--from", paramLabel = "INSTANT", description = "inclusive, e.g. 2026-11-01T00:00:00Z")
  Instant from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "exclusive")
  Instant to;

  @Option(names = "--format", defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE})")
  AuditTable.Format format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (format == AuditTable.Format.csv) {
      err.println("--format must be table or json, found csv (audit export writes CSV)");
      return Exits.ERROR;
    }
    JsonObject criteria = new JsonObject();
    if (subject != null) {
      criteria.put("subject", subject.json());
    }
    putIf(criteria, "purpose", purpose);
    putIf(criteria, "analyst", analyst);
    putIf(criteria, "caseReference", caseReference);
    putIf(criteria, "from", from == null ? null : from.toString());
    putIf(criteria, "to", to == null ? null : to.toString());
    JsonObject found;
    try {
      found = new AuditGateway(gateway, token).search(criteria);
    } catch (AuditGateway.Failure e) {
      err.println(e.getMessage());
      return Exits.ERROR;
    }
    JsonArray entries = found.getJsonArray("entries", new JsonArray());
    if (format == AuditTable.Format.json) {
      out.println(found.encodePrettily());
    } else {
      AuditTable.print(entries, out);
      out.println(entries.size() + " matching entr" + (entries.size() == 1 ? "y" : "ies")
          + (found.getBoolean("truncated", false) ? " (truncated: narrow the search)" : ""));
    }
    return Exits.OK;
  }

  private static void putIf(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
