package nl.schakel.bench.load;

import java.util.Map;
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
 */
public record PhaseResult(
    String name, String path, String mode, double targetRate, int concurrency, double seconds,
    long sent, long ok, double throughput, Latency latency, double cpuMsPerQuestion,
    Map<String, Long> errors, Map<String, Long> outcomes) {

  public PhaseResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(latency, "latency");
    errors = Map.copyOf(new TreeMap<>(errors));
    outcomes = Map.copyOf(new TreeMap<>(outcomes));
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
}
