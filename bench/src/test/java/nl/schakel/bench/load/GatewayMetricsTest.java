package nl.schakel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  static final double[] BOUNDS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

  /** The two histograms as the gateway writes them, from per-bucket (not cumulative) counts. */
  static String metrics(long[] question, double questionSum, long[] audit, double auditSum) {
    return "# HELP schakel_certificate_expiry_days Whole days.\n# TYPE schakel_certificate_expiry_days gauge\n"
        + "schakel_certificate_expiry_days{party=\"politie\",file=\"signing.cert.pem\"} 300\n"
        + histogram(GatewayMetrics.QUESTION, question, questionSum) + histogram(GatewayMetrics.AUDIT, audit, auditSum);
  }

  static String histogram(String name, long[] perBucket, double sum) {
    StringBuilder out = new StringBuilder("# TYPE " + name + " histogram\n");
    long c = 0;
    for (int i = 0; i < BOUNDS.length; i++) {
      c += perBucket[i];
      out.append(name).append("_bucket{le=\"").append(BOUNDS[i]).append("\"} ").append(c).append('\n');
    }
    c += perBucket[BOUNDS.length];
    out.append(name).append("_bucket{le=\"+Inf\"} ").append(c).append('\n')
        .append(name).append("_sum ").append(String.format(Locale.ROOT, "%.6f", sum)).append('\n')
        .append(name).append("_count ").append(c).append('\n');
    return out.toString();
  }

  static long[] counts(long... perBucket) {
    long[] all = new long[BOUNDS.length + 1];
    System.arraycopy(perBucket, 0, all, 0, perBucket.length);
    return all;
  }

  @Test
  void aPhaseIsTheDifferenceOfTwoScrapesWithP99AtTheUpperBoundOfItsBucket() {
    // Before the phase: warm-up questions that must not count.
    GatewayMetrics.Scrape before = GatewayMetrics.parse(metrics(counts(0, 0, 0, 0, 0, 0, 0, 500), 40.0,
        counts(500), 0.2));
    // The phase: 100 questions, 98 at <= 10 ms, 2 at <= 25 ms; audit 99 at <= 0.5 ms, 1 at <= 1 ms.
    GatewayMetrics.Scrape after = GatewayMetrics.parse(metrics(counts(0, 0, 0, 0, 98, 2, 0, 500), 40.8,
        counts(599, 1), 0.24));

    PhaseResult.AuditTiming t = after.since(before).orElseThrow();

    assertThat(t.questions()).isEqualTo(100);
    assertThat(t.questionSeconds()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(t.auditSeconds()).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(t.auditShare()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(t.questionP99Ms()).isEqualTo(25.0);
    assertThat(t.auditP99Ms()).isEqualTo(0.5);
  }

  @Test
  void aP99AboveTheLastBoundIsInfinite() {
    GatewayMetrics.Scrape before = GatewayMetrics.parse(metrics(counts(), 0, counts(), 0));
    long[] slow = counts(1);
    slow[BOUNDS.length] = 9;
    GatewayMetrics.Scrape after = GatewayMetrics.parse(metrics(slow, 40, counts(10), 0.001));

    assertThat(after.since(before).orElseThrow().questionP99Ms()).isInfinite();
  }

  @Test
  void nothingIsReportedWithoutQuestionsOrAfterTheGatewayRestarted() {
    GatewayMetrics.Scrape some = GatewayMetrics.parse(metrics(counts(5), 0.001, counts(5), 0.0005));
    GatewayMetrics.Scrape none = GatewayMetrics.parse(metrics(counts(), 0, counts(), 0));

    assertThat(some.since(some)).isEmpty();
    assertThat(none.since(some)).isEmpty();
  }

  @Test
  void refusesBucketsThatAreNotCumulativeOrAMissingHistogram() {
    String broken = metrics(counts(5), 0.001, counts(5), 0.0005)
        .replace(GatewayMetrics.QUESTION + "_bucket{le=\"0.001\"} 5", GatewayMetrics.QUESTION + "_bucket{le=\"0.001\"} 4");

    assertThatThrownBy(() -> GatewayMetrics.parse(broken)).hasMessageContaining("expected cumulative buckets");
    assertThatThrownBy(() -> GatewayMetrics.parse("schakel_certificate_expiry_days{party=\"x\",file=\"y\"} 3\n"))
        .hasMessageContaining("expected histogram " + GatewayMetrics.QUESTION);
  }
}
