package nl.schakel.bench.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A {@link Report} as report.json and report.md; the JSON is the source of everything else. */
public final class ReportFiles {
  public static final String JSON = "report.json";
  public static final String MARKDOWN = "report.md";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ReportFiles() {}

  /** Writes {@code dir/report.json} and {@code dir/report.md}, creating {@code dir}. */
  public static void write(Report report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(JSON), MAPPER.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(MARKDOWN), markdown(report), StandardCharsets.UTF_8);
  }

  /**
   * @throws IOException if the file is unreadable or not a {@value Report#FORMAT} report
   */
  public static Report read(Path json) throws IOException {
    com.fasterxml.jackson.databind.JsonNode tree = MAPPER.readTree(json.toFile());
    String format = tree.path("format").asText("none");
    if (!Report.FORMAT.equals(format)) {
      throw new IOException(json + ": expected a report of format " + Report.FORMAT + ", found " + format);
    }
    return MAPPER.treeToValue(tree, Report.class);
  }

  /** The report as Markdown tables, for docs/performance.md and reviews. */
  public static String markdown(Report r) {
    StringBuilder md = new StringBuilder();
    Report.Machine m = r.machine();
    md.append("## schakel bench, ").append(r.startedAt()).append("\n\n")
        .append("`").append(r.command()).append("`\n\n")
        .append(f("Machine: %d cores, %s, %s, max heap %d MB, load average at start %.2f "
            + "(shared machine: other processes may have run during the measurement).%n%n",
            m.cores(), m.os(), m.jvm(), m.maxHeapMb(), m.loadAverage()));
    Report.Setup s = r.setup();
    md.append(f("Federation: %d nodes x %,d synthetic records; question: %s; %.0f%% of subjects known somewhere.%n",
            s.nodes(), s.recordsPerNode(), s.question(), s.hitFraction() * 100))
        .append("Real path: ").append(s.security()).append("\n\n");
    if (!r.phases().isEmpty()) {
      md.append("| phase | path | load | questions | ok/s | median ms | p90 ms | p99 ms | max ms | CPU ms/question | errors |\n")
          .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (PhaseResult p : r.phases()) {
        PhaseResult.Latency l = p.latency();
        String load = p.mode().equals("max") ? "max, " + p.concurrency() + " callers" : f("%.0f q/s", p.targetRate());
        md.append(f("| %s | %s | %s | %,d | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", p.name(), p.path(), load,
            p.sent(), p.throughput(), l.medianMs(), l.p90Ms(), l.p99Ms(), l.maxMs(), p.cpuMsPerQuestion(), errors(p.errors())));
      }
      md.append('\n');
      if (r.phases().stream().anyMatch(p -> p.auditTiming().isPresent())) {
        md.append("Inside the gateway (its /metrics, per phase): time from the handler to the response, and the part of it"
                + " spent waiting for the audit log. p99 is the upper bound of the histogram bucket that holds it.\n\n")
            .append("| phase | questions | gateway p99 ms | audit p99 ms | audit p99 / gateway p99 | audit share of time |\n")
            .append("|---|---:|---:|---:|---:|---:|\n");
        for (PhaseResult p : r.phases()) {
          p.auditTiming().ifPresent(a -> md.append(f("| %s | %,d | %s | %s | %s | %.1f%% |%n", p.name(), a.questions(),
              ms(a.questionP99Ms()), ms(a.auditP99Ms()),
              Double.isFinite(a.questionP99Ms()) && Double.isFinite(a.auditP99Ms()) && a.questionP99Ms() > 0
                  ? f("%.1f%%", a.p99Ratio() * 100) : "n/a", a.auditShare() * 100)));
        }
        md.append('\n');
      }
    }
    if (r.overhead() != null) {
      Report.Overhead o = r.overhead();
      md.append(f("Overhead at %.0f q/s: median %.2f ms (Schakel) / %.2f ms (baseline: plain gRPC, no TLS, signatures, "
          + "convenant or log) = **%.2fx**.%n%n", o.rate(), o.schakelMedianMs(), o.baselineMedianMs(), o.ratio()));
    }
    if (r.ceiling() != null) {
      CryptoCeiling.Ceiling c = r.ceiling();
      md.append(f("Crypto ceiling: Ed25519 sign %.1f us, verify %.1f us (%s); per question %.2f signs + %.2f verifies = "
              + "%.0f us of CPU; on %d cores **%.0f questions/s**. Counted: %s.%n%n",
          c.costs().signMicros(), c.costs().verifyMicros(), c.costs().source(), c.signsPerQuestion(),
          c.verifiesPerQuestion(), c.cpuMicrosPerQuestion(), c.cores(), c.questionsPerSecond(), c.assumptions()));
    }
    if (!r.goals().isEmpty()) {
      md.append("| target | goal | measured | met | note |\n|---|---|---:|---|---|\n");
      r.goals().forEach(g -> md.append(f("| %s | %s | %.2f | %s | %s |%n", g.name(), g.target(), g.measured(),
          g.met() ? "met" : "**missed**", g.note())));
      md.append('\n');
    }
    if (!r.scale().isEmpty()) {
      md.append("| curve | nodes | records/node | ok/s (max) | median ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|---:|\n");
      r.scale().forEach(p -> md.append(f("| %s | %d | %,d | %.1f | %.2f | %.2f | %d |%n", p.curve(), p.nodes(),
          p.recordsPerNode(), p.throughput(), p.medianMs(), p.p99Ms(), p.errors())));
      md.append('\n');
    }
    r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
    return md.toString();
  }

  private static String ms(double ms) {
    return Double.isFinite(ms) ? f("%.1f", ms) : "> 2500";
  }

  private static String errors(Map<String, Long> errors) {
    return errors.isEmpty() ? "0" : errors.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
