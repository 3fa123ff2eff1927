package nl.schakel.bench.load;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends questions over real HTTP as a {@link LoadPlan} says and measures what came back.
 *
 * <p>Fixed-rate plans are open loop: one thread releases question {@code i} at its due time
 * {@code start + i / rate} and never waits for answers, and latency runs from that due time, not
 * from when the request actually left. A server that stalls for a second thus shows a second of
 * queueing for every question due in it, as real analysts would see it (coordinated omission).
 */
public final class LoadDriver {
  /** Latencies above this are recorded as this: a question still unanswered after it is a timeout anyway. */
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);

  private final HttpClient client;
  private final Duration requestTimeout;
  private final ResponseClassifier classifier = new ResponseClassifier();

  /**
   * @param client shared by all phases, so connection set-up is paid in the warm-up
   * @param requestTimeout a question unanswered this long after it was sent counts as {@code timeout}
   */
  public LoadDriver(HttpClient client, Duration requestTimeout) {
    this.client = client;
    this.requestTimeout = requestTimeout;
  }

  /** Runs one phase against {@code target}; {@code path} labels it ({@code schakel} or {@code baseline}). */
  public PhaseResult run(LoadPlan plan, String path, Target target) throws InterruptedException {
    Tally tally = new Tally();
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    long end = start + plan.duration().toNanos();
    // Java 17: no pattern switch yet; Pace has exactly these two cases.
    if (plan.pace() instanceof LoadPlan.Pace.FixedRate r) {
      openLoop(r.perSecond(), start, end, target, tally);
    } else if (plan.pace() instanceof LoadPlan.Pace.Max m) {
      closedLoop(m.concurrency(), end, target, tally);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpuBefore;
    return tally.result(plan, path, seconds, cpu);
  }

  private void openLoop(double perSecond, long start, long end, Target target, Tally tally)
      throws InterruptedException {
    double interval = 1e9 / perSecond;
    for (long i = 0; ; i++) {
      long due = start + (long) (i * interval);
      if (due >= end) {
        break;
      }
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      send(i, due, target, tally);
    }
    tally.awaitOutstanding(requestTimeout.plusSeconds(5));
  }

  private void closedLoop(int concurrency, long end, Target target, Tally tally) throws InterruptedException {
    AtomicLong sequence = new AtomicLong();
    CountDownLatch callersDone = new CountDownLatch(concurrency);
    for (int c = 0; c < concurrency; c++) {
      nextInLoop(sequence, end, target, tally, callersDone);
    }
    if (!callersDone.await(Math.max(1, (end - System.nanoTime()) / 1_000_000) + requestTimeout.toMillis() + 5000,
        TimeUnit.MILLISECONDS)) {
      tally.errors.computeIfAbsent("driver-gave-up", k -> new LongAdder()).increment();
    }
  }

  private void nextInLoop(AtomicLong sequence, long end, Target target, Tally tally, CountDownLatch done) {
    long now = System.nanoTime();
    if (now >= end) {
      done.countDown();
      return;
    }
    send(sequence.getAndIncrement(), now, target, tally)
        .whenComplete((ignored, failure) -> nextInLoop(sequence, end, target, tally, done));
  }

  private CompletableFuture<?> send(long i, long due, Target target, Tally tally) {
    HttpRequest.Builder request = HttpRequest.newBuilder(target.queries())
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(target.body().apply(i)));
    String bearer = target.bearer().get();
    if (!bearer.isEmpty()) {
      request.header("Authorization", "Bearer " + bearer);
    }
    tally.sent.increment();
    tally.outstanding.incrementAndGet();
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .handle((response, failure) -> {
          long micros = (System.nanoTime() - due) / 1000;
          if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            if (cause instanceof HttpTimeoutException) {
              // A question given up on waited at least this long: leaving it out would make an
              // overloaded run look faster than a healthy one.
              tally.latency.recordValue(Math.min(Math.max(micros, 1), HIGHEST_MICROS));
              tally.error("timeout");
            } else {
              tally.error("io-error");
            }
          } else {
            tally.latency.recordValue(Math.min(Math.max(micros, 1), HIGHEST_MICROS));
            ResponseClassifier.Classified c = classifier.classify(response.statusCode(), response.body());
            c.errorKinds().forEach(tally::error);
            c.outcomes().forEach(o -> tally.outcomes.computeIfAbsent(o, k -> new LongAdder()).increment());
            if (c.errorKinds().isEmpty()) {
              tally.ok.increment();
            }
          }
          tally.finished();
          return null;
        });
  }

  /** Process CPU time of every thread, or -1 where the JVM cannot tell. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Counters shared by the sender and the HTTP client's completion threads. */
  private static final class Tally {
    final Histogram latency = new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final AtomicLong outstanding = new AtomicLong();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    void error(String kind) {
      errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void finished() {
      if (outstanding.decrementAndGet() == 0) {
        synchronized (lock) {
          lock.notifyAll();
        }
      }
    }

    void awaitOutstanding(Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      synchronized (lock) {
        while (outstanding.get() > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            errors.computeIfAbsent("driver-gave-up", k -> new LongAdder()).add(outstanding.get());
            return;
          }
          lock.wait(Math.max(1, left / 1_000_000));
        }
      }
    }

    PhaseResult result(LoadPlan plan, String path, double seconds, long cpuNanos) {
      long sentCount = sent.sum();
      long okCount = ok.sum();
      PhaseResult.Latency l = new PhaseResult.Latency(latency.getTotalCount(),
          ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
          ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()),
          latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1000.0);
      double cpuMs = cpuNanos < 0 || sentCount == 0 ? -1 : cpuNanos / 1e6 / sentCount;
      String mode = "max";
      double rate = 0;
      int concurrency = 0;
      if (plan.pace() instanceof LoadPlan.Pace.FixedRate r) {
        mode = "fixed-rate";
        rate = r.perSecond();
      } else if (plan.pace() instanceof LoadPlan.Pace.Max m) {
        concurrency = m.concurrency();
      }
      return new PhaseResult(plan.name(), path, mode, rate, concurrency, seconds, sentCount, okCount,
          seconds > 0 ? okCount / seconds : 0, l, cpuMs, sums(errors), sums(outcomes));
    }

    private static double ms(long micros) {
      return micros / 1000.0;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
      Map<String, Long> out = new java.util.TreeMap<>();
      m.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }
  }
}
