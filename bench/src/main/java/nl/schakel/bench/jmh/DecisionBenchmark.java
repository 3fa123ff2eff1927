package nl.schakel.bench.jmh;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantValidationException;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.Evaluator;
import nl.schakel.covenant.Question;
import nl.schakel.covenant.SubjectType;
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
 * What one convenant decision costs at the gateway and at a node: the Caffeine hit path, a
 * decision the cache has never seen, one question against every default responder, and, for
 * scale, parsing the convenant. Run by hand (bench/README.md), never as a test.
 *
 * <p>{@code decideCold} asks one long-lived Evaluator a question with a case reference it has
 * never seen, on every invocation. That is what a gateway pays for each new question in steady
 * state: a cache miss, the full ordered check (including the case-reference regex), the insert,
 * and Caffeine's eviction once its 10 000 entries are full. A fresh Evaluator per invocation was
 * not chosen: it would add building an empty cache, which no running gateway or node does per
 * question, and would never measure eviction, which every one of them does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionBenchmark {
  /** Relative to the bench module's directory, where the benchmark is meant to be started. */
  @Param("../deploy/demo/covenants/zvo-midden.v3.yaml")
  public String covenantFile;

  private static final String PURPOSE = "zvh-casus";
  private static final String RESPONDER = "politie";

  private Path file;
  private Evaluator evaluator;
  private Question question;
  private Instant now;

  @Setup(Level.Trial)
  public void load() throws CovenantValidationException {
    file = Path.of(covenantFile);
    Covenant covenant = CovenantParser.parse(file);
    evaluator = new Evaluator(covenant);
    // A fixed instant inside the validity window: decisions must be Allows, not
    // covenant-not-in-force, or the benchmark would measure the shortest deny path.
    LocalDate from = covenant.validFrom();
    long days = ChronoUnit.DAYS.between(from, covenant.validUntil());
    now = from.plusDays(days / 2).atTime(12, 0).atZone(Covenant.ZONE).toInstant();
    question = zvhQuestion("ZVH-2026-00042");
    if (!(evaluator.decide(question, RESPONDER, now) instanceof Decision.Allow)) {
      throw new IllegalStateException(
          "expected the zvh-casus person question to be allowed at " + RESPONDER + " under " + file);
    }
  }

  /** Each benchmark thread counts its own never-repeated case references. */
  @State(Scope.Thread)
  public static class FreshCaseReferences {
    private long next;

    /** {@code ZVH-yyyy-nnnnn}, matching the demo's pattern, unique for the first 9 * 10^8 calls. */
    Question next() {
      long n = next++;
      return zvhQuestion(caseReference(1000 + n / 100_000 % 9000, n % 100_000));
    }
  }

  /** The Caffeine hit path: the same question, responder and day every time. */
  @Benchmark
  public Decision decideCached() {
    return evaluator.decide(question, RESPONDER, now);
  }

  /** A question the evaluator has never seen: miss, full evaluation, insert, eviction. */
  @Benchmark
  public Decision decideCold(FreshCaseReferences refs) {
    return evaluator.decide(refs.next(), RESPONDER, now);
  }

  /** A question without explicit responders: every party declaring person categories, cached. */
  @Benchmark
  public List<Decision> decideAllDefaultResponders() {
    return evaluator.decideAll(question, evaluator.defaultResponders(SubjectType.PERSON), now);
  }

  /** The same fan-out for a question never seen before: what a new question costs the gateway. */
  @Benchmark
  public List<Decision> decideAllDefaultRespondersCold(FreshCaseReferences refs) {
    return evaluator.decideAll(refs.next(), evaluator.defaultResponders(SubjectType.PERSON), now);
  }

  /** Reading and validating the convenant file, for scale (done once per convenant version). */
  @Benchmark
  public Covenant parse() throws CovenantValidationException {
    return CovenantParser.parse(file);
  }

  private static Question zvhQuestion(String caseReference) {
    return new Question(
        "zvh",
        Set.of("procesregisseur"),
        PURPOSE,
        Optional.of(caseReference),
        SubjectType.PERSON,
        Optional.empty(),
        Set.of());
  }

  /** Cheaper than String.format, which would cost as much as the decision itself. */
  static String caseReference(long year, long number) {
    char[] c = "ZVH-0000-00000".toCharArray();
    for (int i = 7; i >= 4; i--, year /= 10) {
      c[i] = (char) ('0' + year % 10);
    }
    for (int i = 13; i >= 9; i--, number /= 10) {
      c[i] = (char) ('0' + number % 10);
    }
    return new String(c);
  }
}
