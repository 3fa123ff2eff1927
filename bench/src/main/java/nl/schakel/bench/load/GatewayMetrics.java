package nl.schakel.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own timing of questions, read from its {@code /metrics}: how long each question
 * took from its handler to its response and how much of that it waited for the audit log. A phase
 * is the difference of a scrape before and after it, so warm-up and other phases do not count.
 * The gateway serves /metrics on loopback only, which is where the bench federation runs.
 */
public final class GatewayMetrics {
  public static final String QUESTION = "schakel_gateway_question_seconds";
  public static final String AUDIT = "schakel_gateway_question_audit_seconds";
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{le=\"([^\"]+)\"\\})? (\\S+)$", Pattern.MULTILINE);

  private GatewayMetrics() {}

  /** Both histograms at one moment. */
  public record Scrape(Histogram question, Histogram audit) {
    /**
     * What happened between {@code before} and this scrape, or empty if no question was timed in
     * between (or the gateway restarted, so the counters do not subtract).
     */
    public Optional<PhaseResult.AuditTiming> since(Scrape before) {
      Optional<Histogram> q = question.minus(before.question);
      Optional<Histogram> a = audit.minus(before.audit);
      if (q.isEmpty() || a.isEmpty() || q.get().count() == 0) {
        return Optional.empty();
      }
      Histogram dq = q.get();
      Histogram da = a.get();
      return Optional.of(new PhaseResult.AuditTiming(dq.count(), dq.sumSeconds(), da.sumSeconds(),
          dq.sumSeconds() > 0 ? da.sumSeconds() / dq.sumSeconds() : 0, dq.percentileMs(0.99), da.percentileMs(0.99)));
    }
  }

  /**
   * One Prometheus histogram.
   *
   * @param bounds upper bounds in seconds, increasing, the last {@code +Inf}
   * @param cumulative observations at or below each bound
   */
  public record Histogram(double[] bounds, long[] cumulative, double sumSeconds, long count) {
    Optional<Histogram> minus(Histogram earlier) {
      if (!Arrays.equals(bounds, earlier.bounds) || count < earlier.count) {
        return Optional.empty();
      }
      long[] d = new long[cumulative.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = cumulative[i] - earlier.cumulative[i];
      }
      return Optional.of(new Histogram(bounds, d, sumSeconds - earlier.sumSeconds, count - earlier.count));
    }

    /**
     * The upper bound, in ms, of the bucket that holds quantile {@code q}: an over-estimate by at
     * most one bucket's width, and {@link Double#POSITIVE_INFINITY} when it lies above the last
     * finite bound. Requires {@code count > 0}.
     */
    double percentileMs(double q) {
      long total = cumulative[cumulative.length - 1];
      long rank = Math.max(1, (long) Math.ceil(q * total));
      for (int i = 0; i < cumulative.length; i++) {
        if (cumulative[i] >= rank) {
          return bounds[i] * 1000;
        }
      }
      return Double.POSITIVE_INFINITY;
    }
  }

  /**
   * Both histograms as the gateway writes them.
   *
   * @throws IllegalArgumentException if either is missing or its buckets are not cumulative
   */
  public static Scrape parse(String text) {
    return new Scrape(histogram(text, QUESTION), histogram(text, AUDIT));
  }

  /** Scrapes {@code metrics}; empty, not an error, when the gateway does not serve the histograms. */
  public static Optional<Scrape> scrape(HttpClient client, URI metrics) throws InterruptedException {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(parse(r.body())) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Histogram histogram(String text, String name) {
    Map<Double, Long> buckets = new LinkedHashMap<>();
    Double sum = null;
    Long count = null;
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      String metric = m.group(1);
      if (metric.equals(name + "_bucket") && m.group(2) != null) {
        buckets.put(m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2)),
            Long.parseLong(m.group(3)));
      } else if (metric.equals(name + "_sum")) {
        sum = Double.parseDouble(m.group(3));
      } else if (metric.equals(name + "_count")) {
        count = Long.parseLong(m.group(3));
      }
    }
    if (buckets.isEmpty() || sum == null || count == null) {
      throw new IllegalArgumentException("expected histogram " + name + " with _bucket, _sum and _count, found "
          + (buckets.isEmpty() ? "no buckets" : sum == null ? "no _sum" : "no _count"));
    }
    List<Double> bounds = new ArrayList<>(buckets.keySet());
    bounds.sort(Double::compare);
    if (bounds.get(bounds.size() - 1) != Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("expected histogram " + name + " to end with le=\"+Inf\", found none");
    }
    long[] cumulative = new long[bounds.size()];
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] = buckets.get(bounds.get(i));
      if (i > 0 && cumulative[i] < cumulative[i - 1]) {
        throw new IllegalArgumentException("expected cumulative buckets in " + name + ", found le=" + bounds.get(i)
            + " below the bucket before it");
      }
    }
    return new Histogram(bounds.stream().mapToDouble(Double::doubleValue).toArray(), cumulative, sum, count);
  }
}
