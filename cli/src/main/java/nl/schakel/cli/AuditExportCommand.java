package nl.schakel.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel audit export}: the privacy officer's copy of the gateway's log, one row per
 * entry. Entries the caller may not read keep their index and leaf hash, so the export still
 * accounts for every position in the tree.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {"Export entries of the gateway's audit log (GET /v1/audit/entries, paged) as CSV or JSON.",
        "One row per entry: index, leafHash, and the decoded fields of entries visible to you.",
        "Exit 0 on success, 1 on an error."})
final class AuditExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--gateway", required = true, paramLabel = "URL", description = "e.g. http://127.0.0.1:8080")
  URI gateway;

  @Option(names = "--token", required = true, paramLabel = "JWT", description = "bearer token of an auditor or fg")
  String token;

  @Option(names = "--format", required = true, description = "csv (RFC 4180, with a header) or json")
  AuditTable.Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "write here instead of standard output")
  Path outFile;

  @Option(names = "--start", paramLabel = "N", defaultValue = "0", description = "first index (default 0)")
  long start;

  @Option(names = "--end", paramLabel = "M", description = "index after the last (default: the current tree size)")
  Long end;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (format == AuditTable.Format.table) {
      err.println("--format must be csv or json, found table");
      return Exits.ERROR;
    }
    if (start < 0 || end != null && end < start) {
      err.println("--start and --end must satisfy 0 <= start <= end, found " + start + " and " + end);
      return Exits.ERROR;
    }
    List<JsonObject> entries;
    try {
      AuditGateway client = new AuditGateway(gateway, token);
      entries = client.entries(start, end != null ? end : client.size());
    } catch (AuditGateway.Failure e) {
      err.println(e.getMessage());
      return Exits.ERROR;
    }
    StringWriter text = new StringWriter();
    if (format == AuditTable.Format.csv) {
      text.append(AuditTable.csv(AuditTable.COLUMNS));
      entries.forEach(e -> text.append(AuditTable.csv(AuditTable.row(e))));
    } else {
      text.append(new JsonObject().put("entries", new JsonArray(List.copyOf(entries))).encodePrettily()).append('\n');
    }
    if (outFile == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      try {
        Files.writeString(outFile, text.toString(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("cannot write " + outFile + ": " + e.getMessage());
        return Exits.ERROR;
      }
      err.println("exported " + entries.size() + " entries to " + outFile);
    }
    return Exits.OK;
  }
}
