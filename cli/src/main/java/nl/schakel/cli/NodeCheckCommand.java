package nl.schakel.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import nl.schakel.node.NodeConfig;
import nl.schakel.node.RowRejection;
import nl.schakel.node.SourceCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel node check}: what the node would say at start, and what it would make of the
 * source, before it is started: no server, no log, no file created. Prints counts, row numbers and
 * reasons only, never a record's contents.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check node.yaml and read the source fully, as the node would at start, without starting it.",
        "Reports records per category and subject type, rejected rows (row number and reason), identifier forms",
        "found vs declared and the index's memory. Exit 0: the node would start; 1: it would not."})
final class NodeCheckCommand implements Callable<Integer> {
  /** How many rejections are listed; the rest are counted. */
  static final int SHOWN_REJECTIONS = 20;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "node.yaml")
  Path config;

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
    out.println("checking node " + cfg.party() + " (" + config + ")");
    SourceCheck.Report report;
    try {
      report = SourceCheck.run(cfg, Clock.systemUTC(), progress(out));
    } catch (Exception e) {
      finishProgressLine(out);
      err.println("node would not start: " + e.getMessage());
      return Exits.ERROR;
    }
    finishProgressLine(out);
    print(out, cfg, report);
    return Exits.OK;
  }

  private boolean tty() {
    return System.console() != null;
  }

  /** A progress line rewritten in place on a terminal; plain lines in a pipe or a log. */
  private Consumer<String> progress(PrintWriter out) {
    if (!tty()) {
      return line -> out.println("  " + line);
    }
    String[] spinner = {"|", "/", "-", "\\"};
    int[] turn = {0};
    return line -> {
      out.print("\r  " + spinner[turn[0]++ % spinner.length] + " " + line + "\u001b[K");
      out.flush();
    };
  }

  private void finishProgressLine(PrintWriter out) {
    if (tty()) {
      out.print("\r\u001b[K");
      out.flush();
    }
  }

  static void print(PrintWriter out, NodeConfig cfg, SourceCheck.Report r) {
    out.println("config: ok (convenants, party keys, PKI, analysts and keys as the node checks them at start)");
    long rows = r.ingest().accepted() + r.ingest().rejected();
    out.printf("source %s: %,d rows, %,d accepted, %,d rejected%n", r.source(), rows, r.ingest().accepted(),
        r.ingest().rejected());
    if (r.ingest().rejected() > 0) {
      int shown = Math.min(SHOWN_REJECTIONS, r.ingest().firstRejections().size());
      out.printf("rejected rows (first %d of %,d; row numbers as in the source, contents never shown):%n", shown,
          r.ingest().rejected());
      for (RowRejection rejection : r.ingest().firstRejections().subList(0, shown)) {
        out.println("  " + rejection);
      }
    }
    out.println("records per category and subject type:");
    if (r.perCategory().isEmpty()) {
      out.println("  (none: the node would answer no-hit or refuse every question)");
    }
    int width = r.perCategory().keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, ? extends Map<String, Long>> c : r.perCategory().entrySet()) {
      c.getValue().forEach((type, n) -> out.printf("  %-" + width + "s  %-12s %,12d%n", c.getKey(), type, n));
    }
    out.println("identifier forms found: " + (r.formsFound().isEmpty() ? "none" : String.join(", ",
        new TreeSet<>(r.formsFound()))));
    if (r.declared().isPresent()) {
      out.println("identifier forms declared: " + String.join(", ", r.declared().get()));
      Set<String> unused = new TreeSet<>(r.declared().get());
      unused.removeAll(r.formsFound());
      unused.remove("cbs-area-code");
      if (!unused.isEmpty()) {
        out.println("  declared without records (answered no-hit): " + String.join(", ", unused));
      }
    } else {
      out.println("identifier forms declared: none (the node answers for the forms found; see identifier-forms)");
    }
    out.printf("memory: the index takes %s; plan for %s during a refresh (old and new index side by side)%n",
        bytes(r.footprintBytes()), bytes(2 * r.footprintBytes()));
    r.notes().forEach(n -> out.println("note: " + n));
    out.printf("OK: node %s would start and answer from %,d records%n", cfg.party(), r.ingest().accepted());
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024L * 1024) {
      return String.format("%.1f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format("%.1f MiB", n / (1024.0 * 1024));
    }
    return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
  }
}
