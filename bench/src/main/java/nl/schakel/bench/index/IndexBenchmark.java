package nl.schakel.bench.index;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import nl.schakel.node.index.BuildProgress;
import nl.schakel.node.index.CompactIndex;
import nl.schakel.node.index.Filter;
import nl.schakel.node.index.IndexBuilder;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.pseudonym.Pseudonym;
import org.HdrHistogram.Histogram;

/**
 * Builds the node's compact index from {@link SyntheticIndexRecords} at several sizes and prints,
 * per size, the build time, the heap the index retains per record and the latency of subject and
 * area lookups, as a Markdown table. Issue 6 asks for at most 120 bytes per record at 10 million
 * records and lookup cost that does not grow with size.
 *
 * <p>Run from the repository root after {@code ./mvnw -o -pl bench install -DskipTests}:
 * <pre>java -Xmx6g -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
 *     nl.schakel.bench.index.IndexBenchmark [records ...]</pre>
 * Default sizes: 1 000, 1 000 000 and 10 000 000.
 *
 * <p>Method. Heap: used heap after repeated {@code System.gc()} with the index reachable, minus
 * the same before the build (MemoryMXBean); the builder is dropped first, so this is what a node
 * keeps. Lookups: {@value #WARMUP} untimed, then {@value #MEASURED} timed one by one with
 * {@code System.nanoTime()} into an HdrHistogram, subjects half hits (the subject of a random
 * record) and half misses (a pseudonym no record has) in random order, areas a random buurt, wijk
 * or gemeente; all with every category selected and a five-year lookback. Nanosecond timing of a
 * single call includes about 20-30 ns of clock overhead.
 */
public final class IndexBenchmark {
  static final int WARMUP = 300_000;
  static final int MEASURED = 1_000_000;
  static final int QUERIES = 1 << 16;
  static final long SEED = 20261129L;
  static final LocalDate REFERENCE = LocalDate.of(2026, 11, 29);

  private IndexBenchmark() {}

  public static void main(String[] args) {
    long[] sizes = args.length == 0 ? new long[] {1_000, 1_000_000, 10_000_000}
        : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.out.printf("# Compact index benchmark (Java %s, %s, max heap %d MB, %d CPUs)%n%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
    StringBuilder table = new StringBuilder()
        .append("| records | subjects | area codes | build s | heap B/record (measured) | B/record (computed)")
        .append(" | subject lookup median ns | subject p99 ns | area lookup median ns | area p99 ns |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    long sink = 0;
    for (long n : sizes) {
      var records = new SyntheticIndexRecords(SEED, n, REFERENCE);
      Filter filter = new Filter(Set.copyOf(records.categoryNames()), Optional.of(REFERENCE.minusYears(5)));
      long before = usedAfterGc(memory);
      long start = System.nanoTime();
      IndexBuilder builder = CompactIndex.builder(new HmacRecordKeys(new byte[32]),
          p -> progress(p, start));
      records.addAll(builder);
      CompactIndex index = builder.build();
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      builder = null;
      long retained = usedAfterGc(memory) - before;

      Pseudonym[] subjects = new Pseudonym[QUERIES];
      AreaCode[] areas = new AreaCode[QUERIES];
      SplittableRandom random = new SplittableRandom(SEED ^ n);
      for (int i = 0; i < QUERIES; i++) {
        subjects[i] = random.nextBoolean() ? records.subjectOf(random.nextLong(n)) : records.absent(i);
        areas[i] = records.area(random.nextLong());
      }
      Histogram subjectLatency = new Histogram(3_600_000_000_000L, 3);
      Histogram areaLatency = new Histogram(3_600_000_000_000L, 3);
      for (int i = 0; i < WARMUP; i++) {
        sink += index.subject(subjects[i & (QUERIES - 1)], filter).count();
        sink += index.area(areas[i & (QUERIES - 1)], filter).count();
      }
      for (int i = 0; i < MEASURED; i++) {
        long t0 = System.nanoTime();
        sink += index.subject(subjects[i & (QUERIES - 1)], filter).count();
        long t1 = System.nanoTime();
        sink += index.area(areas[i & (QUERIES - 1)], filter).count();
        long t2 = System.nanoTime();
        subjectLatency.recordValue(t1 - t0);
        areaLatency.recordValue(t2 - t1);
      }
      table.append(String.format("| %,d | %,d | %d | %.2f | %.1f | %.1f | %d | %d | %d | %d |%n", n, index.subjects(),
          index.areas(), buildSeconds, (double) retained / n, (double) index.footprintBytes() / n,
          subjectLatency.getValueAtPercentile(50), subjectLatency.getValueAtPercentile(99),
          areaLatency.getValueAtPercentile(50), areaLatency.getValueAtPercentile(99)));
      Reference.reachabilityFence(index);
      index = null;
    }
    System.out.println();
    System.out.print(table);
    System.out.printf("%n(checksum %d)%n", sink);
  }

  private static void progress(BuildProgress p, long start) {
    System.err.printf("  %6.1f s  %-11s records=%,d processed=%,d%n", (System.nanoTime() - start) / 1e9, p.stage(),
        p.records(), p.processed());
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
