package nl.schakel.gateway;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import nl.schakel.audit.AppendResult;
import nl.schakel.proto.v1.AuditEntry;

/**
 * How long questions take end to end and how much of that is spent waiting for their audit
 * entries to become durable (issue 7: the audit log may cost at most 10% of the end-to-end latency
 * at p99). Served in /metrics as two Prometheus histograms without labels: a label could only
 * split by asker or outcome, and API.md keeps both out of metrics.
 *
 * <p>Recording is lock-free (one {@link LongAdder} per bucket) because it runs on the event loop
 * and the log's completion threads. Durations come from a monotonic {@code nanoTime} source, not
 * the gateway's {@link java.time.Clock}, which may be fixed or jump.
 */
final class QueryTimings {
  /**
   * Upper bounds of the buckets, in microseconds: 0.5 ms to 2.5 s, then +Inf; dense between 1 and
   * 100 ms, where a p99 target of 25 ms and an audit share of 10 % must be told apart.
   */
  static final long[] BUCKET_MICROS = {
      500, 1_000, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 25_000, 35_000, 50_000, 75_000,
      100_000, 150_000, 250_000, 500_000, 1_000_000, 2_500_000};
  static final String QUESTION = "schakel_gateway_question_seconds";
  static final String AUDIT = "schakel_gateway_question_audit_seconds";

  private final LongSupplier nanoTime;
  private final Histogram questions = new Histogram();
  private final Histogram audits = new Histogram();

  /** @param nanoTime a monotonic clock in nanoseconds: {@code System::nanoTime} outside tests */
  QueryTimings(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * How a question's audit appends are made: timed toward that question, or {@link #UNTIMED} for
   * appends no HTTP request waits on in full (a held question decided later).
   */
  @FunctionalInterface
  interface AuditWait {
    AuditWait UNTIMED = AuditTrail::append;

    CompletableFuture<AppendResult> append(AuditTrail trail, AuditEntry entry);
  }

  /** Starts timing one question as its request reaches the handler. */
  Question start() {
    return new Question(nanoTime.getAsLong());
  }

  /** One question being timed; {@link #finish()} records it once its response is written. */
  final class Question implements AuditWait {
    private final long started;
    private final AtomicLong auditNanos = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();

    private Question(long started) {
      this.started = started;
    }

    /**
     * Appends and counts the time from this call until the entry is durable (or the append
     * failed). The returned future completes only after the wait is counted, so everything that
     * depends on the append, the response included, sees it.
     */
    @Override
    public CompletableFuture<AppendResult> append(AuditTrail trail, AuditEntry entry) {
      long t0 = nanoTime.getAsLong();
      return trail.append(entry).whenComplete((ok, err) -> auditNanos.addAndGet(nanoTime.getAsLong() - t0));
    }

    /** Records the question's end-to-end and audit times; a second call records nothing. */
    void finish() {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      questions.record(nanoTime.getAsLong() - started);
      audits.record(auditNanos.get());
    }
  }

  /** The end-to-end histogram, for tests. */
  Snapshot questions() {
    return questions.snapshot();
  }

  /** The audit-wait histogram, for tests. */
  Snapshot audits() {
    return audits.snapshot();
  }

  /**
   * A histogram read at one moment.
   *
   * @param buckets per bucket of {@link #BUCKET_MICROS}, then +Inf: observations in it (not cumulative)
   */
  record Snapshot(long[] buckets, long sumNanos) {
    long count() {
      long n = 0;
      for (long b : buckets) {
        n += b;
      }
      return n;
    }
  }

  /** Both histograms in the Prometheus text format (0.0.4), in seconds. */
  String prometheus() {
    StringBuilder out = new StringBuilder();
    render(out, QUESTION, "Time from a POST /v1/queries reaching the gateway's handler until its response was written,"
        + " answered or refused.", questions.snapshot());
    render(out, AUDIT, "Time the same questions waited for their audit entries (intent and result) to be durable.",
        audits.snapshot());
    return out.toString();
  }

  private static void render(StringBuilder out, String name, String help, Snapshot s) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" histogram\n");
    long cumulative = 0;
    for (int i = 0; i < BUCKET_MICROS.length; i++) {
      cumulative += s.buckets()[i];
      out.append(name).append("_bucket{le=\"").append(seconds(BUCKET_MICROS[i] * 1_000)).append("\"} ")
          .append(cumulative).append('\n');
    }
    cumulative += s.buckets()[BUCKET_MICROS.length];
    // _count is the +Inf bucket by definition; both come from one read so they agree under load.
    out.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n')
        .append(name).append("_sum ").append(seconds(s.sumNanos())).append('\n')
        .append(name).append("_count ").append(cumulative).append('\n');
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.9f", nanos / 1e9).replaceAll("0+$", "").replaceAll("\\.$", ".0");
  }

  /** Fixed buckets, one adder each: recording never blocks and never allocates. */
  private static final class Histogram {
    private final LongAdder[] buckets = new LongAdder[BUCKET_MICROS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void record(long nanos) {
      long n = Math.max(0, nanos);
      int i = 0;
      // Prometheus buckets are "less than or equal to" their bound.
      while (i < BUCKET_MICROS.length && n > BUCKET_MICROS[i] * 1_000) {
        i++;
      }
      buckets[i].increment();
      sumNanos.add(n);
    }

    Snapshot snapshot() {
      long[] counts = new long[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        counts[i] = buckets[i].sum();
      }
      return new Snapshot(counts, sumNanos.sum());
    }
  }
}
