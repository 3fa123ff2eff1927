package nl.schakel.bench.index;

import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import nl.schakel.node.index.CompactIndex;
import nl.schakel.node.index.Filter;
import nl.schakel.node.index.IndexBuilder;
import nl.schakel.node.index.Matches;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.pseudonym.Pseudonym;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH counterpart of {@link IndexBenchmark}'s lookup timings: one {@link CompactIndex} subject
 * lookup (a hit, a miss) and one area lookup, on an index of {@link #records} synthetic records
 * (default one million) built once per trial from the same seeded {@link SyntheticIndexRecords}
 * and HMAC record keys. Run by hand (bench/README.md), never as a test.
 *
 * <p>It lives in this package, not in {@code nl.schakel.bench.jmh}, because the generator and the
 * record keys are package-private here. Queries are as IndexBenchmark's: every category selected,
 * a five-year lookback; hits are the subjects of seeded random records, misses pseudonyms no
 * record has, areas a seeded mix of buurt, wijk and gemeente codes. Each cycles through
 * {@value #QUERIES} precomputed queries, so the caches see a spread of directory slots rather than
 * one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IndexLookupBenchmark {
  private static final int QUERIES = 1 << 16;

  @Param("1000000")
  public long records;

  private CompactIndex index;
  private Filter filter;
  private Pseudonym[] hits;
  private Pseudonym[] misses;
  private AreaCode[] areas;
  private int next;

  @Setup(Level.Trial)
  public void build() {
    var source = new SyntheticIndexRecords(IndexBenchmark.SEED, records, IndexBenchmark.REFERENCE);
    filter = new Filter(Set.copyOf(source.categoryNames()),
        Optional.of(IndexBenchmark.REFERENCE.minusYears(5)));
    IndexBuilder builder = CompactIndex.builder(new HmacRecordKeys(new byte[32]));
    source.addAll(builder);
    index = builder.build();
    SplittableRandom random = new SplittableRandom(IndexBenchmark.SEED ^ records);
    hits = new Pseudonym[QUERIES];
    misses = new Pseudonym[QUERIES];
    areas = new AreaCode[QUERIES];
    for (int i = 0; i < QUERIES; i++) {
      hits[i] = source.subjectOf(random.nextLong(records));
      misses[i] = source.absent(i);
      areas[i] = source.area(random.nextLong());
    }
    // A hit that matched nothing would time the miss path twice; fail before measuring.
    if (index.subject(hits[0], new Filter(filter.categories(), Optional.empty())).count() == 0
        || index.subject(misses[0], filter).count() != 0) {
      throw new IllegalStateException("expected the first hit to match and the first miss not to, found "
          + "otherwise in " + index);
    }
  }

  /** A subject some record has: directory slot, bucket, then its ~1.6 mentions. */
  @Benchmark
  public Matches subjectHit() {
    return index.subject(hits[next++ & (QUERIES - 1)], filter);
  }

  /** A subject no record has: directory slot and bucket, no mentions. */
  @Benchmark
  public Matches subjectMiss() {
    return index.subject(misses[next++ & (QUERIES - 1)], filter);
  }

  /** A buurt, wijk or gemeente: one binary search per selected category in that area. */
  @Benchmark
  public Matches area() {
    return index.area(areas[next++ & (QUERIES - 1)], filter);
  }
}
