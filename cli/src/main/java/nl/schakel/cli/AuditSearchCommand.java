package nl.schakel.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
        "Role auditor finds its own party's entries, role fg all. Exit 0 on success, 1 on an error.",
        "Give - as the value of any --subject-* option to read it from standard input (one line), so",
        "that a BSN stays out of ps output and shell history (type it, or redirect it from a file)."})
final class AuditSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--gateway", required = true, paramLabel = "URL", description = "e.g. http://127.0.0.1:8080")
  URI gateway;

  @Option(names = "--token", required = true, paramLabel = "JWT", description = "bearer token of an auditor or fg")
  String token;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Subject subject;

  /** The value that means "read this option from standard input". */
  static final String STDIN = "-";

  static final class Subject {
    @Option(names = "--subject-bsn", paramLabel = "BSN", description = "a person by BSN (- reads it from stdin)")
    String bsn;

    @Option(names = "--subject-bag", paramLabel = "ID", description = "an address by BAG nummeraanduiding id")
    String bag;

    @ArgGroup(exclusive = false)
    Postal postal;

    @Option(names = "--subject-kvk", paramLabel = "KVK", description = "an organisation by KvK number")
    String kvk;

    @Option(names = "--subject-area", paramLabel = "CODE", description = "a CBS area code")
    String area;

    /** Replaces every {@code -} by the next line of {@code in}, in a fixed option order. */
    void readStdin(InputStream in) throws IOException {
      bsn = fromStdin(bsn, "--subject-bsn", in);
      bag = fromStdin(bag, "--subject-bag", in);
      kvk = fromStdin(kvk, "--subject-kvk", in);
      area = fromStdin(area, "--subject-area", in);
      if (postal != null) {
        postal.postcode = fromStdin(postal.postcode, "--subject-postcode", in);
        postal.number = fromStdin(postal.number, "--subject-number", in);
        postal.letter = fromStdin(postal.letter, "--subject-letter", in);
        postal.addition = fromStdin(postal.addition, "--subject-addition", in);
      }
    }

    JsonObject json() throws IOException {
      if (bsn != null) {
        return new JsonObject().put("type", "person").put("bsn", bsn);
      }
      if (bag != null) {
        return new JsonObject().put("type", "address").put("bagId", bag);
      }
      if (postal != null) {
        int number;
        try {
          number = Integer.parseInt(postal.number.strip());
        } catch (NumberFormatException e) {
          // The value itself is not echoed: it is part of an address.
          throw new IOException("--subject-number must be a house number (digits), found something else");
        }
        JsonObject a = new JsonObject().put("type", "address").put("postcode", postal.postcode)
            .put("houseNumber", number);
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
    String number;

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
      try {
        subject.readStdin(System.in);
        criteria.put("subject", subject.json());
      } catch (IOException e) {
        err.println(e.getMessage());
        return Exits.ERROR;
      }
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
    // Whatever the gateway sent is printed without control characters (it may be hostile).
    found = (JsonObject) AuditGateway.printable(found);
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

  /**
   * {@code value}, or the next line of {@code in} when it is {@code -}. Read byte by byte, so that
   * several options given as {@code -} take successive lines; a trailing CR is dropped.
   */
  static String fromStdin(String value, String option, InputStream in) throws IOException {
    if (!STDIN.equals(value)) {
      return value;
    }
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b = in.read();
    if (b < 0) {
      throw new IOException(option + " -: expected a line on standard input, found end of input");
    }
    while (b >= 0 && b != '\n') {
      line.write(b);
      b = in.read();
    }
    String text = line.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      throw new IOException(option + " -: expected a value on standard input, found an empty line");
    }
    return text;
  }

  private static void putIf(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
