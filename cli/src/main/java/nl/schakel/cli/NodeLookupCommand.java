package nl.schakel.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import nl.schakel.node.HitLookup;
import nl.schakel.node.NodeConfig;
import nl.schakel.proto.v1.NodeLogEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel node lookup}: the operator's formal second step. From the node's own log entry of
 * a question (read-only, without the node's lock, so the node may be running) to the operator's own
 * source rows that made its answer, identifiers in clear, on the operator's machine only.
 */
@Command(name = "lookup", mixinStandardHelpOptions = true,
    description = {"Show which of your own source records made the answer to one question (by question id, the",
        "answer-ref in the gateway's receipt and audit log). Reads <state-dir>/audit-log read-only and your source;",
        "prints your own rows IN CLEAR on this machine: handle the output as the records themselves."})
final class NodeLookupCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "node.yaml")
  Path config;

  @Option(names = "--answer-ref", required = true, paramLabel = "QUESTION_ID",
      description = "the question id, as in the node's log line and the gateway's audit entry")
  String questionId;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    NodeConfig cfg;
    try {
      cfg = NodeCommand.load(config);
    } catch (YamlConfigs.ConfigException e) {
      err.println(e.getMessage());
      return Exits.ERROR;
    }
    Path logDir = cfg.stateDir().resolve("audit-log");
    if (!Files.isDirectory(logDir)) {
      err.println("no node log at " + logDir + ": has node " + cfg.party() + " run with state-dir " + cfg.stateDir() + "?");
      return Exits.ERROR;
    }
    try {
      List<NodeLogEntry> all = AuditCrossCheckCommand.readNodeLog(logDir, err);
      List<NodeLogEntry> entries = all.stream().filter(e -> e.getQuestionId().equals(questionId)).toList();
      if (entries.isEmpty()) {
        err.println("no question with id " + questionId + " in the log of node " + cfg.party() + " (" + logDir + ", "
            + all.size() + " entries): check the id (the answer-ref of the gateway's receipt) and the node");
        return Exits.ERROR;
      }
      for (NodeLogEntry entry : entries) {
        show(out, cfg, entry);
      }
      return Exits.OK;
    } catch (Exception e) {
      err.println("lookup failed: " + e.getMessage());
      return Exits.ERROR;
    }
  }

  private static void show(PrintWriter out, NodeConfig cfg, NodeLogEntry e) throws Exception {
    out.printf("question %s at %s: %s%s under %s v%d rule %s, purpose %s, case %s, asked by %s/%s%n",
        e.getQuestionId(), Instant.ofEpochMilli(e.getTimeEpochMs()), outcome(e),
        e.getCountDisplay().isEmpty() ? "" : " " + e.getCountDisplay(), e.getCovenantId(), e.getCovenantVersion(),
        e.getRuleId(), e.getPurpose(), e.getCaseReference(), e.getAskerParty(), e.getAskerPerson());
    HitLookup.Result result = HitLookup.find(cfg, e, Clock.systemUTC());
    if (result instanceof HitLookup.Found f) {
      printRows(out, cfg, e, f);
    } else if (result instanceof HitLookup.NothingToShow n) {
      out.println("nothing to show: " + n.why());
    }
  }

  private static void printRows(PrintWriter out, NodeConfig cfg, NodeLogEntry e, HitLookup.Found f) {
    out.println("=== YOUR OWN RECORDS, IDENTIFIERS IN CLEAR (formal second step) ===");
    out.println("Shown only here, from " + cfg.party() + "'s own source on this machine; nothing of this leaves the"
        + " node or was sent with the answer. Handle this output as the records themselves.");
    out.println("Source as it is now: it may have changed since the answer at "
        + Instant.ofEpochMilli(e.getTimeEpochMs()) + ".");
    f.applied().forEach(a -> out.println("filter: " + a));
    f.notApplied().forEach(a -> out.println("not applied: " + a));
    out.printf("%8s  %-12s  %-22s  %-28s  %-10s  %s%n", "row", "subject", "identifier", "category", "date", "area");
    for (HitLookup.Row r : f.rows()) {
      out.printf("%8d  %-12s  %-22s  %-28s  %-10s  %s%n", r.row(), r.subjectType(), r.identifier(), r.category(),
          r.date(), r.area().orElse(""));
    }
    out.printf("%d row(s) made the answer; %d other row(s) about the same %s fell outside the filter%n",
        f.rows().size(), f.outsideFilter(), e.getAreaCode().isEmpty() ? "subject" : "area");
    if (f.rows().isEmpty()) {
      out.println("warning: no row of the source matches now: the records changed since the answer, or another"
          + " matching key is configured");
    }
  }

  private static String outcome(NodeLogEntry e) {
    if (!e.getRejected().isEmpty()) {
      return "REJECTED";
    }
    return switch (e.getOutcome()) {
      case HIT -> "HIT";
      case NO_HIT -> "NO-HIT";
      case COUNT_RESULT -> "COUNT";
      case REFUSED -> "REFUSED (" + e.getRefusalReason() + ")";
      default -> e.getOutcome().name();
    };
  }
}
