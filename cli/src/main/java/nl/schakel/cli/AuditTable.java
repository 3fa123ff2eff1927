package nl.schakel.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One readable row per audit entry, as the gateway sends it ({@code {index, leafHash, entry?}}):
 * the table of {@code audit search} and the columns of {@code audit export}. An entry the caller
 * may not read has only its index and leaf hash.
 */
final class AuditTable {
  enum Format { table, json, csv }

  /** The export columns, in order. */
  static final List<String> COLUMNS = List.of("index", "leafHash", "kind", "time", "queryId", "askerParty",
      "askerPerson", "approverPerson", "purpose", "caseReference", "covenant", "subjectType", "status",
      "combinedOutcome", "responders", "auditCall");

  private AuditTable() {}

  /** The values of {@link #COLUMNS} for one entry; empty strings where withheld or absent. */
  static List<String> row(JsonObject item) {
    JsonObject e = item.getJsonObject("entry", new JsonObject());
    List<String> row = new ArrayList<>();
    row.add(String.valueOf(item.getValue("index")));
    row.add(item.getString("leafHash", ""));
    row.add(e.getString("kind", ""));
    row.add(e.containsKey("timeEpochMs") ? Instant.ofEpochMilli(Long.parseLong(String.valueOf(e.getValue("timeEpochMs")))).toString() : "");
    row.add(e.getString("queryId", ""));
    row.add(e.getString("askerParty", ""));
    row.add(e.getString("askerPerson", ""));
    row.add(e.getString("approverPerson", ""));
    row.add(e.getString("purpose", ""));
    row.add(e.getString("caseReference", ""));
    row.add(e.containsKey("covenantId") ? e.getString("covenantId") + " v" + e.getValue("covenantVersion", "?") : "");
    row.add(e.getString("subjectType", ""));
    row.add(e.getString("status", ""));
    row.add(e.getString("combinedOutcome", ""));
    row.add(responders(e.getJsonArray("responders", new JsonArray())));
    row.add(e.getString("auditCall", ""));
    return row;
  }

  /** Each responder as {@code party:decision[:learned]}, separated by spaces. */
  private static String responders(JsonArray list) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonObject r = list.getJsonObject(i);
      String learned = r.getString("learned", r.getString("reason", ""));
      parts.add(r.getString("party", "") + ":" + r.getString("decision", "") + (learned.isEmpty() ? "" : ":" + learned));
    }
    return String.join(" ", parts);
  }

  static void print(JsonArray entries, PrintWriter out) {
    out.printf("%-6s %-24s %-12s %-26s %-16s %-12s %-18s %-10s %s%n", "INDEX", "TIME", "KIND", "ASKER", "PURPOSE",
        "CASE", "SUBJECT/CALL", "STATUS", "RESPONDERS");
    for (int i = 0; i < entries.size(); i++) {
      List<String> r = row(entries.getJsonObject(i));
      if (r.get(2).isEmpty()) {
        out.printf("%-6s (not visible to you; leaf hash %s)%n", r.get(0), r.get(1));
        continue;
      }
      String asker = r.get(5) + "/" + r.get(6);
      String what = r.get(2).equals("AUDIT_ACCESS") ? r.get(15) : r.get(11);
      out.printf("%-6s %-24s %-12s %-26s %-16s %-12s %-18s %-10s %s%n", r.get(0), r.get(3), r.get(2), asker, r.get(8),
          r.get(9), what, r.get(12), r.get(14));
    }
  }

  /** One CSV record (RFC 4180): a field is quoted when it holds a comma, quote, CR or LF. */
  static String csv(List<String> fields) {
    List<String> quoted = new ArrayList<>();
    for (String f : fields) {
      quoted.add(f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")
          ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
    }
    return String.join(",", quoted) + "\r\n";
  }
}
