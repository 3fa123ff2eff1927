package nl.schakel.bench.load;

import java.util.List;
import java.util.Objects;

/**
 * Everything one {@code schakel bench} run measured; written as report.json (the source of the
 * Markdown table and the plots) by {@link ReportFiles}.
 *
 * @param format {@value #FORMAT}
 * @param startedAt ISO-8601 instant
 * @param command the command line that produced it, to rerun
 * @param machine what it ran on
 * @param setup the federation it ran against
 * @param phases in the order they ran
 * @param overhead the real path's median latency over the baseline's, both at the same low rate
 * @param ceiling questions/s if the machine did only the required signatures and verifications
 * @param goals the project's targets, met or missed
 * @param scale points of the scale curves; empty unless {@code --scale} ran
 * @param notes what the reader must know: skipped points, shared machine, deviations
 */
public record Report(
    String format, String startedAt, String command, Machine machine, Setup setup, List<PhaseResult> phases,
    Overhead overhead, CryptoCeiling.Ceiling ceiling, List<Goal> goals, List<ScalePoint> scale, List<String> notes) {
  public static final String FORMAT = "schakel-bench/v1";

  public Report {
    Objects.requireNonNull(format, "format");
    phases = List.copyOf(phases);
    goals = List.copyOf(goals);
    scale = List.copyOf(scale);
    notes = List.copyOf(notes);
  }

  /** The same report with these scale points and notes added. */
  public Report withScale(List<ScalePoint> points, List<String> moreNotes) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.addAll(moreNotes);
    return new Report(format, startedAt, command, machine, setup, phases, overhead, ceiling, goals, points, all);
  }

  /**
   * @param loadAverage the one-minute load average at the start, or -1: other builds share the machine
   */
  public record Machine(int cores, String os, String jvm, long maxHeapMb, double loadAverage) {
    public static Machine current() {
      Runtime rt = Runtime.getRuntime();
      double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return new Machine(rt.availableProcessors(),
          System.getProperty("os.name") + " " + System.getProperty("os.arch"),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
          rt.maxMemory() / (1024 * 1024), load);
    }
  }

  /**
   * @param nodes responders asked per question
   * @param recordsPerNode synthetic records at each node
   * @param question what is asked, e.g. {@code zvh-casus person hit-per-party}
   * @param hitFraction share of questions about a subject known at one or more nodes
   * @param security what the real path does per question
   */
  public record Setup(int nodes, long recordsPerNode, String question, double hitFraction, String security) {}

  /**
   * @param rate questions/s of both phases
   * @param ratio {@code schakelMedianMs / baselineMedianMs}
   */
  public record Overhead(double rate, double baselineMedianMs, double schakelMedianMs, double ratio) {}

  /** A target of issue 7 and whether this run met it; {@code note} says why, or why it does not apply. */
  public record Goal(String name, String target, double measured, boolean met, String note) {}

  /**
   * One point of a scale curve.
   *
   * @param curve {@code nodes} (records fixed) or {@code records} (nodes fixed)
   */
  public record ScalePoint(String curve, int nodes, long recordsPerNode, double throughput, double p99Ms,
      double medianMs, long errors) {}
}
