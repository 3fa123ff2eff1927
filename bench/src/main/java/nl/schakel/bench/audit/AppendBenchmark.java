package nl.schakel.bench.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import javax.sql.DataSource;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.audit.PostgresAuditLog;
import nl.schakel.trust.sign.SigningKey;
import org.HdrHistogram.Histogram;

/**
 * Durable appends per second and append-to-receipt latency of the audit stores, as the gateway
 * uses them: every writer appends in a closed loop (append, wait for the durable result, repeat),
 * entries of about the size of an AuditEntry proto, a checkpoint signed after every group commit.
 * One cell per store and number of writers, each on a fresh log after a warm-up; prints a
 * Markdown table.
 *
 * <p>Usage: {@code AppendBenchmark [--seconds=10] [--warmup=3] [--writers=1,8,64]
 * [--stores=file,postgres] [--entry-bytes=300] [--dir=<temp>]}. PostgreSQL is an embedded
 * PostgreSQL 14 with {@code fsync = on} and {@code synchronous_commit = on}, on the same disk.
 */
public final class AppendBenchmark {

  private static final String ORIGIN = "schakel/bench/gateway";
  // Latencies above a minute are recorded as a minute; none should come close.
  private static final long MAX_LATENCY_MICROS = 60_000_000L;

  /** What one run measured. */
  record Cell(
      String store, int writers, long appends, long commits, long nanos, Histogram latencyMicros) {

    double appendsPerSecond() {
      return appends * 1e9 / nanos;
    }

    double commitsPerSecond() {
      return commits * 1e9 / nanos;
    }
  }

  record Settings(
      Duration measure, Duration warmup, List<Integer> writers, List<String> stores, int entryBytes, Path dir) {}

  private AppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings settings = parse(args);
    SigningKey key = SigningKey.generate(new SecureRandom());
    CheckpointSigner signer = new CheckpointSigner(key, ORIGIN);
    Path work = Files.createTempDirectory(settings.dir(), "append-benchmark");
    List<Cell> cells = new ArrayList<>();
    double fsyncMillis = medianFsyncMillis(work.resolve("fsync-probe"), 200);
    try {
      for (String store : settings.stores()) {
        switch (store) {
          case "file" -> {
            for (int writers : settings.writers()) {
              Path dir = work.resolve("file-" + writers);
              cells.add(
                  measure(
                      store,
                      writers,
                      settings,
                      () ->
                          FileAuditLog.open(
                              dir, FileAuditLog.Options.defaults().withCheckpointSigner(signer))));
            }
          }
          case "postgres" -> {
            try (EmbeddedPostgres postgres =
                EmbeddedPostgres.builder()
                    .setDataDirectory(work.resolve("pgdata"))
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start()) {
              DataSource dataSource = postgres.getPostgresDatabase();
              for (int writers : settings.writers()) {
                PostgresAuditLog.Options options =
                    PostgresAuditLog.Options.defaults()
                        .withLogName("bench_" + writers)
                        .withCheckpointSigner(signer);
                cells.add(
                    measure(
                        store, writers, settings, () -> PostgresAuditLog.open(dataSource, options)));
              }
            }
          }
          default -> throw new IllegalArgumentException(
              "unknown store '" + store + "', expected file or postgres");
        }
      }
    } finally {
      deleteTree(work);
    }
    System.out.println(table(cells, settings, fsyncMillis));
  }

  @FunctionalInterface
  private interface Opener {
    AuditLog open() throws IOException;
  }

  private static Cell measure(String store, int writers, Settings settings, Opener opener)
      throws Exception {
    try (AuditLog log = opener.open()) {
      run(store, log, writers, settings.warmup(), settings.entryBytes());
      return run(store, log, writers, settings.measure(), settings.entryBytes());
    }
  }

  private static Cell run(String store, AuditLog log, int writers, Duration duration, int entryBytes)
      throws InterruptedException {
    long[] appends = new long[writers];
    long[] commits = new long[writers];
    Histogram[] latencies = new Histogram[writers];
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int w = 0; w < writers; w++) {
      int writer = w;
      latencies[w] = new Histogram(MAX_LATENCY_MICROS, 3);
      Thread thread =
          new Thread(
              () -> {
                Random random = new Random(writer);
                byte[] entry = new byte[entryBytes];
                random.nextBytes(entry);
                awaitUninterruptibly(start);
                long deadline = window[1];
                while (true) {
                  long before = System.nanoTime();
                  if (before >= deadline) {
                    return;
                  }
                  // A different entry every time, as real entries are (question id, times).
                  ByteBuffer.wrap(entry).putLong(0, appends[writer]).putInt(8, writer);
                  AppendResult result = log.append(entry).join();
                  long micros = (System.nanoTime() - before) / 1000;
                  latencies[writer].recordValue(Math.min(micros, MAX_LATENCY_MICROS));
                  appends[writer]++;
                  if (result.index() == result.treeSize() - 1) {
                    commits[writer]++; // the last entry of its batch: one per group commit
                  }
                }
              },
              "append-writer-" + w);
      threads.add(thread);
      thread.start();
    }
    window[0] = System.nanoTime();
    window[1] = window[0] + duration.toNanos();
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long nanos = System.nanoTime() - window[0];
    Histogram all = new Histogram(MAX_LATENCY_MICROS, 3);
    for (Histogram h : latencies) {
      all.add(h);
    }
    return new Cell(
        store, writers, Arrays.stream(appends).sum(), Arrays.stream(commits).sum(), nanos, all);
  }

  // What one fsync of a small write costs on this disk: the floor of any durable commit.
  private static double medianFsyncMillis(Path file, int samples) throws IOException {
    long[] nanos = new long[samples];
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate(4096);
      for (int i = 0; i < samples; i++) {
        block.clear();
        channel.write(block, (long) i * 4096);
        long before = System.nanoTime();
        channel.force(false);
        nanos[i] = System.nanoTime() - before;
      }
    }
    Arrays.sort(nanos);
    return nanos[samples / 2] / 1e6;
  }

  static String table(List<Cell> cells, Settings settings, double fsyncMillis) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Durable appends, %d-byte entries, checkpoint signed per commit, %d s per cell after %d s"
                + " warm-up, %d cores; fsync of 4 KiB on this disk: median %.2f ms%n%n",
            settings.entryBytes(),
            settings.measure().toSeconds(),
            settings.warmup().toSeconds(),
            Runtime.getRuntime().availableProcessors(),
            fsyncMillis));
    out.append(
        "| store | writers | durable appends/s | commits/s | entries/commit | median latency ms | p99 latency ms |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Cell cell : cells) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %,.0f | %,.0f | %.1f | %.2f | %.2f |%n",
              cell.store(),
              cell.writers(),
              cell.appendsPerSecond(),
              cell.commitsPerSecond(),
              cell.commits() == 0 ? 0.0 : (double) cell.appends() / cell.commits(),
              cell.latencyMicros().getValueAtPercentile(50) / 1000.0,
              cell.latencyMicros().getValueAtPercentile(99) / 1000.0));
    }
    return out.toString();
  }

  static Settings parse(String[] args) {
    Duration measure = Duration.ofSeconds(10);
    Duration warmup = Duration.ofSeconds(3);
    List<Integer> writers = List.of(1, 8, 64);
    List<String> stores = List.of("file", "postgres");
    int entryBytes = 300;
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2 || !kv[0].startsWith("--")) {
        throw new IllegalArgumentException("expected --name=value, found '" + arg + "'");
      }
      String value = kv[1];
      switch (kv[0]) {
        case "--seconds" -> measure = Duration.ofSeconds(positive(kv[0], value));
        case "--warmup" -> warmup = Duration.ofSeconds(Integer.parseInt(value));
        case "--writers" -> writers =
            Stream.of(value.split(",")).map(w -> positive("--writers", w)).toList();
        case "--stores" -> stores = List.of(value.split(","));
        case "--entry-bytes" -> entryBytes = Math.max(12, positive(kv[0], value));
        case "--dir" -> dir = Path.of(value);
        default -> throw new IllegalArgumentException(
            "unknown option "
                + kv[0]
                + ", expected --seconds, --warmup, --writers, --stores, --entry-bytes or --dir");
      }
    }
    return new Settings(measure, warmup, writers, stores, entryBytes, dir);
  }

  private static int positive(String name, String value) {
    int n = Integer.parseInt(value.trim());
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be positive, found " + n);
    }
    return n;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // Benchmark threads are never interrupted; keep waiting for the start.
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
