package nl.schakel.bench.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one phase measured.
 *
 * @param name the plan's name
 * @param path {@code schakel} (the real, secured path) or {@code baseline}
 * @param mode {@code fixed-rate} or {@code max}
 * @param targetRate questions/s asked for (fixed-rate), 0 for max
 * @param concurrency callers in max mode, 0 for fixed-rate
 * @param seconds wall time from the first send until the last answer (or give-up)
 * @param sent questions sent
 * @param ok answered with HTTP 200 and no {@code unavailable} or refused answer
 * @param throughput {@code ok / seconds}
 * @param latency over every question that got an HTTP response, error statuses included, and every
 *     question that timed out, at the time it was given up on
 * @param cpuMsPerQuestion process CPU time (every thread: gateway, nodes and the load generator
 *     itself) divided by the questions sent
 * @param errors count per kind: {@code http-<status>}, {@code timeout}, {@code io-error},
 *     {@code unavailable} (HTTP 200 with at least one node unavailable), {@code refused}
 * @param outcomes count of per-party outcomes in 200 responses: hit, no-hit, unavailable, refused...
 * @param audit the gateway's own timing of the phase's questions from its /metrics; null (absent
 *     from the JSON) for the baseline and in reports written before it was measured: see {@link #auditTiming()}
 */
public record PhaseResult(
    String name, String path, String mode, double targetRate, int concurrency, double seconds,
    long sent, long ok, double throughput, Latency latency, double cpuMsPerQuestion,
    Map<String, Long> errors, Map<String, Long> outcomes,
    @JsonInclude(JsonInclude.Include.NON_NULL) AuditTiming audit) {

  public PhaseResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(latency, "latency");
    errors = Map.copyOf(new TreeMap<>(errors));
    outcomes = Map.copyOf(new TreeMap<>(outcomes));
  }

  /** A phase without the gateway's timing. */
  public PhaseResult(String name, String path, String mode, double targetRate, int concurrency, double seconds,
      long sent, long ok, double throughput, Latency latency, double cpuMsPerQuestion,
      Map<String, Long> errors, Map<String, Long> outcomes) {
    this(name, path, mode, targetRate, concurrency, seconds, sent, ok, throughput, latency, cpuMsPerQuestion, errors,
        outcomes, null);
  }

  /** The same phase with the gateway's timing of it. */
  public PhaseResult withAudit(AuditTiming timing) {
    return new PhaseResult(name, path, mode, targetRate, concurrency, seconds, sent, ok, throughput, latency,
        cpuMsPerQuestion, errors, outcomes, Objects.requireNonNull(timing, "timing"));
  }

  /** The gateway's timing of this phase, if it was measured. */
  public Optional<AuditTiming> auditTiming() {
    return Optional.ofNullable(audit);
  }

  /** Total errors of all kinds. */
  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Latency percentiles in milliseconds (HdrHistogram, microsecond resolution, 3 significant
   * digits), and how many questions they cover.
   */
  public record Latency(long count, double medianMs, double p90Ms, double p99Ms, double maxMs, double meanMs) {}

  /**
   * How much of the gateway's time per question went to waiting for the audit log (issue 7: at
   * most 10% of the end-to-end latency at p99), from the gateway's histograms of the phase.
   * Percentiles are the upper bound of the bucket holding them (buckets 0.5 ms .. 2.5 s), so they
   * over-estimate by up to one bucket; infinite when above 2.5 s.
   *
   * @param questions questions the gateway timed in the phase, answered or refused
   * @param questionSeconds their end-to-end time at the gateway, summed: handler to response written
   * @param auditSeconds the time they waited for their audit appends (intent and result), summed
   * @param auditShare {@code auditSeconds / questionSeconds}
   * @param questionP99Ms end-to-end p99 at the gateway
   * @param auditP99Ms audit-wait p99
   */
  public record AuditTiming(long questions, double questionSeconds, double auditSeconds, double auditShare,
      double questionP99Ms, double auditP99Ms) {
    /** {@code auditP99Ms / questionP99Ms}, the quantity the issue 7 target bounds. */
    public double p99Ratio() {
      return auditP99Ms / questionP99Ms;
    }
  }
}
