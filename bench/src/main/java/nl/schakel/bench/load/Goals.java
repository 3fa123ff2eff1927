package nl.schakel.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The targets of issue 7, judged on one run. Judged, not enforced: a missed target is reported. */
public final class Goals {
  static final int TARGET_NODES = 8;
  static final double TARGET_RATE = 200;
  static final double P99_MS = 25;
  static final double CEILING_SHARE = 0.6;
  static final double OVERHEAD = 4;
  static final double AUDIT_SHARE_AT_P99 = 0.10;

  private Goals() {}

  /**
   * @param rated the fixed-rate phase of the real path at the run's rate, if it ran; its gateway
   *     timing, if measured, judges the audit log's share of the p99
   * @param max the max-throughput phase of the real path, if it ran
   */
  public static List<Report.Goal> judge(int nodes, Optional<PhaseResult> rated, Optional<PhaseResult> max,
      Report.Overhead overhead, CryptoCeiling.Ceiling ceiling) {
    List<Report.Goal> goals = new ArrayList<>();
    String setupNote = nodes == TARGET_NODES ? "" : "run had " + nodes + " nodes, the target is for " + TARGET_NODES + "; ";
    rated.ifPresent(p -> {
      String note = setupNote + (p.targetRate() == TARGET_RATE ? "" : "run was at " + fmt(p.targetRate())
          + " q/s, the target is for 200; ") + p.errorCount() + " errors";
      goals.add(new Report.Goal("p99 hit-per-party, 8 nodes, 200 q/s", "<= 25 ms", p.latency().p99Ms(),
          p.latency().p99Ms() <= P99_MS && p.errorCount() == 0, note));
      p.auditTiming().ifPresent(a -> goals.add(audit(a, setupNote)));
    });
    max.ifPresent(p -> goals.add(new Report.Goal("throughput vs crypto ceiling", ">= 60% of "
        + fmt(ceiling.questionsPerSecond()) + " q/s", p.throughput() / ceiling.questionsPerSecond() * 100,
        p.throughput() >= CEILING_SHARE * ceiling.questionsPerSecond(),
        setupNote + "measured in percent: " + fmt(p.throughput()) + " ok/s at max")));
    goals.add(new Report.Goal("overhead vs baseline at 20 q/s, 8 nodes", "< 4x median", overhead.ratio(),
        overhead.ratio() < OVERHEAD, setupNote + fmt(overhead.schakelMedianMs()) + " ms vs "
            + fmt(overhead.baselineMedianMs()) + " ms"));
    return goals;
  }

  /**
   * Issue 7: the audit log no more than 10% of the end-to-end latency at p99, judged as the p99 of
   * the audit wait over the p99 of the whole question, both as the gateway measured them. Measured
   * in percent. A p99 above the gateway's highest bucket cannot be judged, so it is missed.
   */
  private static Report.Goal audit(PhaseResult.AuditTiming a, String setupNote) {
    boolean judged = Double.isFinite(a.questionP99Ms()) && Double.isFinite(a.auditP99Ms()) && a.questionP99Ms() > 0;
    double percent = judged ? a.p99Ratio() * 100 : -1;
    String note = setupNote + "gateway p99 " + p99(a.auditP99Ms()) + " ms audit of " + p99(a.questionP99Ms())
        + " ms per question (bucket upper bounds); audit share of all question time "
        + String.format(Locale.ROOT, "%.1f%%", a.auditShare() * 100) + " over " + a.questions() + " questions"
        + (judged ? "" : "; a p99 above 2.5 s cannot be judged");
    return new Report.Goal("audit log share of p99 latency", "<= 10%", percent,
        judged && a.p99Ratio() <= AUDIT_SHARE_AT_P99, note);
  }

  private static String p99(double ms) {
    return Double.isFinite(ms) ? fmt(ms) : "> 2500";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
