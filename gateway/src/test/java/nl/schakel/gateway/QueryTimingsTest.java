package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.proto.v1.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Question latency and the share of it spent waiting for the audit log, as operators scrape it
 * from /metrics (issue 7: the audit log at most 10% of end-to-end latency at p99).
 */
class QueryTimingsTest {
  static final String KNOWN = "999990019";
  static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(?:\\{le=\"([^\"]+)\"\\})? (\\S+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void countsEveryAnsweredAndRefusedQuestionAndTheTimeItsAuditEntriesTook() throws Exception {
    try (TestFederation fed = new TestFederation(dir, FailingPartiesTest.records(), Duration.ofSeconds(5), null)) {
      String token = fed.token("zvh", "p.jansen", "procesregisseur");
      for (int i = 0; i < 4; i++) {
        assertThat(fed.post("/v1/queries", token, personQuery()).statusCode()).isEqualTo(200);
      }
      // Refused, and logged: a RESULT entry only.
      HttpResponse<String> refused = fed.post("/v1/queries",
          fed.token("gemeente-zeist", "z.ambtenaar", "procesregisseur"), personQuery());
      assertThat(refused.statusCode()).isEqualTo(403);
      // Malformed: no question, so not counted.
      assertThat(fed.post("/v1/queries", token, "{\"purpose\":").statusCode()).isEqualTo(400);

      HttpResponse<String> metrics = fed.get("/metrics");

      assertThat(metrics.statusCode()).isEqualTo(200);
      Histogram question = Histogram.parse(metrics.body(), QueryTimings.QUESTION);
      Histogram audit = Histogram.parse(metrics.body(), QueryTimings.AUDIT);
      assertThat(question.count()).isEqualTo(5);
      assertThat(audit.count()).isEqualTo(5);
      assertThat(audit.sumSeconds()).isPositive().isLessThanOrEqualTo(question.sumSeconds());
      assertThat(metrics.body()).doesNotContain(KNOWN).doesNotContain("p.jansen").doesNotContain("gemeente-zeist");
    }
  }

  @Test
  void aQuestionRefusedBecauseTheLogCannotBeWrittenIsCountedToo() throws Exception {
    AuditLog broken = new FailingPartiesTest.FailingLog(FileAuditLog.open(dir.resolve("real-audit")));
    try (TestFederation fed = new TestFederation(dir, FailingPartiesTest.records(), Duration.ofSeconds(5), broken)) {
      HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"), personQuery());

      assertThat(r.statusCode()).isEqualTo(503);
      Histogram question = Histogram.parse(fed.get("/metrics").body(), QueryTimings.QUESTION);
      assertThat(question.count()).isEqualTo(1);
    }
  }

  @Test
  void placesEachTimeInTheFirstBucketWhoseBoundItDoesNotExceedAndCountsAuditWaitsPerQuestion() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    QueryTimings timings = new QueryTimings(now::get);
    AuditTrail trail = new AuditTrail(new InstantLog(now, 300_000)); // each append takes 0.3 ms

    QueryTimings.Question twoAppends = timings.start();
    twoAppends.append(trail, AuditEntry.getDefaultInstance()).join();
    twoAppends.append(trail, AuditEntry.getDefaultInstance()).join();
    twoAppends.finish(); // 0.6 ms, all of it audit
    twoAppends.finish(); // recorded once
    QueryTimings.Question onTheBound = timings.start();
    now.addAndGet(500_000);
    onTheBound.finish(); // exactly 0.5 ms, no audit
    QueryTimings.Question slow = timings.start();
    now.addAndGet(3_000_000_000L);
    slow.finish(); // beyond the last bound

    QueryTimings.Snapshot q = timings.questions();
    assertThat(q.buckets()).containsExactly(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    assertThat(q.sumNanos()).isEqualTo(600_000 + 500_000 + 3_000_000_000L);
    QueryTimings.Snapshot a = timings.audits();
    assertThat(a.buckets()).containsExactly(2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(a.sumNanos()).isEqualTo(600_000);
  }

  @Test
  void rendersCumulativeBucketsWhoseInfinityIsTheCount() {
    AtomicLong now = new AtomicLong();
    QueryTimings timings = new QueryTimings(now::get);
    long[] millis = {0, 1, 3, 3, 40, 5_000};
    for (long ms : millis) {
      QueryTimings.Question q = timings.start();
      now.addAndGet(ms * 1_000_000);
      q.finish();
    }

    Histogram h = Histogram.parse(timings.prometheus(), QueryTimings.QUESTION);

    assertThat(h.buckets()).containsEntry("0.0005", 1L).containsEntry("0.001", 2L).containsEntry("0.002", 2L)
        .containsEntry("0.005", 4L).containsEntry("0.05", 5L).containsEntry("2.5", 5L).containsEntry("+Inf", 6L);
    assertThat(h.count()).isEqualTo(6);
    assertThat(h.sumSeconds()).isEqualTo(5.047);
    assertThat(timings.prometheus()).contains("# TYPE " + QueryTimings.QUESTION + " histogram")
        .contains("# TYPE " + QueryTimings.AUDIT + " histogram");
  }

  static String personQuery() {
    return "{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\",\"bsn\":\""
        + KNOWN + "\"}}";
  }

  /**
   * One histogram as a scraper reads it, checked as it is read: buckets in increasing order and
   * cumulative, +Inf last and equal to {@code _count}.
   */
  record Histogram(Map<String, Long> buckets, double sumSeconds, long count) {
    static Histogram parse(String text, String name) {
      Map<String, Long> buckets = new LinkedHashMap<>();
      Double sum = null;
      Long count = null;
      Matcher m = SAMPLE.matcher(text);
      while (m.find()) {
        if (m.group(1).equals(name + "_bucket")) {
          buckets.put(m.group(2), Long.parseLong(m.group(3)));
        } else if (m.group(1).equals(name + "_sum")) {
          sum = Double.parseDouble(m.group(3));
        } else if (m.group(1).equals(name + "_count")) {
          count = Long.parseLong(m.group(3));
        }
      }
      assertThat(sum).as("%s_sum", name).isNotNull();
      assertThat(count).as("%s_count", name).isNotNull();
      List<String> bounds = List.copyOf(buckets.keySet());
      assertThat(bounds).hasSize(QueryTimings.BUCKET_MICROS.length + 1).last().isEqualTo("+Inf");
      for (int i = 1; i < bounds.size(); i++) {
        if (i < bounds.size() - 1) {
          assertThat(Double.parseDouble(bounds.get(i))).isGreaterThan(Double.parseDouble(bounds.get(i - 1)));
        }
        assertThat(buckets.get(bounds.get(i))).as("cumulative at le=%s", bounds.get(i))
            .isGreaterThanOrEqualTo(buckets.get(bounds.get(i - 1)));
      }
      assertThat(buckets.get("+Inf")).isEqualTo(count);
      return new Histogram(buckets, sum, count);
    }
  }

  /** A log whose appends complete at once, after advancing the test's nanosecond clock; nothing else. */
  private record InstantLog(AtomicLong now, long nanosPerAppend) implements AuditLog {
    @Override
    public CompletableFuture<AppendResult> append(byte[] entry) {
      now.addAndGet(nanosPerAppend);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public long size() {
      return 0;
    }

    @Override
    public byte[] entry(long index) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<byte[]> inclusionProof(long index, long treeSize) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<byte[]> consistencyProof(long first, long second) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] root(long treeSize) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void close() {}
  }
}
