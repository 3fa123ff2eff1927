package nl.schakel.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import nl.schakel.bench.load.Baseline;
import nl.schakel.bench.load.BenchFederation;
import nl.schakel.bench.load.CryptoCeiling;
import nl.schakel.bench.load.GatewayMetrics;
import nl.schakel.bench.load.Goals;
import nl.schakel.bench.load.LoadDriver;
import nl.schakel.bench.load.LoadPlan;
import nl.schakel.bench.load.PhaseResult;
import nl.schakel.bench.load.Plots;
import nl.schakel.bench.load.Report;
import nl.schakel.bench.load.ReportFiles;
import nl.schakel.bench.load.Subjects;
import nl.schakel.bench.load.Target;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = BenchCommand.Plot.class,
    description = {"Load-test a local federation over real HTTP with all security on (mTLS, signed questions and answers,"
        + " convenant checks at gateway and nodes, durable audit log) and compare it with an unsecured baseline.",
        "Starts a temporary federation of N generated nodes on loopback, then runs: warm-up; baseline at 20 q/s;"
            + " Schakel at 20 q/s; Schakel at --rate (open loop: latency includes queueing); Schakel as fast as possible.",
        "Writes report.json and report.md (throughput, latency median/p90/p99/max, CPU per question, errors,"
            + " overhead ratio, crypto-bound ceiling, targets) and latency.png into --out.",
        "Numbers are only as good as the machine is quiet: the report records its load average."})
final class BenchCommand implements Callable<Integer> {
  private static final double LOW_RATE = 20;
  private static final double HIT_FRACTION = 0.5;
  private static final int SUBJECTS = 5000;
  private static final long SEED = 20261129;
  /** Nodes refuse analyst tokens older than 5 minutes: renew well before. */
  private static final Duration TOKEN_RENEWAL = Duration.ofMinutes(4);
  /** Assumed audit entries per group commit for the ceiling; a busy gateway batches many. */
  private static final double ENTRIES_PER_GROUP_COMMIT = 16;
  private static final String SECURITY = "mTLS gateway-node (ECDSA P-256), Ed25519-signed question and answers"
      + " (Bouncy Castle), analyst JWT (EdDSA) checked at gateway and every node, convenant evaluated at gateway and"
      + " every node, durable audit log (intent + result entries, fsync group commit, signed checkpoint per commit)";

  @Option(names = "--quick", description = "a small federation (4 nodes x 2,000 records) and a few seconds per phase: under a minute")
  boolean quick;

  @Option(names = "--nodes", paramLabel = "N", description = "responders per question (default 8; --quick 4)")
  Integer nodes;

  @Option(names = "--records", paramLabel = "M", description = "synthetic records per node (default 100000; --quick 2000)")
  Long records;

  @Option(names = "--rate", paramLabel = "Q", description = "questions/s of the fixed-rate run (default 200; --quick 100)")
  Double rate;

  @Option(names = "--duration", paramLabel = "DURATION", description = "each measured phase, ISO-8601 (default PT30S; --quick PT5S)")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", description = "warm-up before measuring (default PT15S; --quick PT3S)")
  Duration warmup;

  @Option(names = "--concurrency", defaultValue = "32", paramLabel = "C",
      description = "callers of the max-throughput run (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--scale", description = "also run the scale curves (throughput and p99 at max for each --scale-nodes"
      + " at 100,000 records, and each --scale-records at 4 nodes) and plot them")
  boolean scale;

  @Option(names = "--scale-nodes", split = ",", defaultValue = "1,2,4,8,16", paramLabel = "N,...")
  List<Integer> scaleNodes;

  @Option(names = "--scale-records", split = ",", defaultValue = "10000,1000000,10000000", paramLabel = "M,...")
  List<Long> scaleRecords;

  @Option(names = "--scale-duration", defaultValue = "PT15S", paramLabel = "DURATION",
      description = "max-throughput run per scale point, after a third as long a warm-up (default ${DEFAULT-VALUE})")
  Duration scaleDuration;

  @Option(names = "--out", paramLabel = "DIR", description = "where the report goes (default bench/results/<timestamp>)")
  Path out;

  @Option(names = "--plots", paramLabel = "DIR", description = "where the PNGs go (default: --out)")
  Path plots;

  @Option(names = "--log", description = "keep the per-question INFO log lines of gateway and nodes (default: WARN and"
      + " above only, so the console shows the benchmark and the measurement excludes writing 2 + N lines per question"
      + " to a terminal)")
  boolean log;

  @Option(names = "--keep", description = "keep the generated federation directories (printed) instead of deleting them")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    if (log || !(org.slf4j.LoggerFactory.getLogger("nl.schakel") instanceof ch.qos.logback.classic.Logger schakel)) {
      return measure();
    }
    ch.qos.logback.classic.Level before = schakel.getLevel();
    schakel.setLevel(ch.qos.logback.classic.Level.WARN);
    try {
      return measure();
    } finally {
      schakel.setLevel(before);
    }
  }

  private int measure() throws Exception {
    Instant started = Instant.now();
    int n = nodes != null ? nodes : quick ? 4 : 8;
    long m = records != null ? records : quick ? 2_000 : 100_000;
    double r = rate != null ? rate : quick ? 100 : 200;
    Duration d = duration != null ? duration : quick ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
    Duration w = warmup != null ? warmup : quick ? Duration.ofSeconds(3) : Duration.ofSeconds(15);
    Path outDir = out != null ? out : Path.of("bench", "results",
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started));
    PrintStream console = System.out;
    Report.Machine machine = Report.Machine.current();

    console.printf("measuring Ed25519 sign/verify for the crypto ceiling...%n");
    CryptoCeiling.Costs costs = CryptoCeiling.measure(quick ? Duration.ofMillis(300) : Duration.ofSeconds(2));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    LoadDriver driver = new LoadDriver(http, Duration.ofSeconds(10));
    List<PhaseResult> phases = new ArrayList<>();
    long[] questionsPerToken = new long[1];
    try (Run run = Run.start(n, m, keep, console)) {
      Target real = run.target();
      console.printf("warm-up %s...%n", w);
      driver.run(LoadPlan.maxThroughput("warm-up", Math.min(concurrency, 8), w), "schakel", real);
      try (Baseline baseline = Baseline.start(run.absoluteCsvs(), Baseline.DEFAULT_DEADLINE)) {
        Target base = new Target(baseline.queries(), () -> "", run.bodies());
        driver.run(LoadPlan.maxThroughput("baseline-warm-up", 4, Duration.ofSeconds(Math.max(1, w.toSeconds() / 3))),
            "baseline", base);
        phases.add(phase(console, driver, LoadPlan.fixedRate("baseline-20qps", LOW_RATE, d), "baseline", base));
      }
      phases.add(timed(http, run.metrics(), () ->
          phase(console, driver, LoadPlan.fixedRate("schakel-20qps", LOW_RATE, d), "schakel", real)));
      phases.add(timed(http, run.metrics(), () ->
          phase(console, driver, LoadPlan.fixedRate(String.format(Locale.ROOT, "schakel-%.0fqps", r), r, d),
              "schakel", real)));
      phases.add(timed(http, run.metrics(), () ->
          phase(console, driver, LoadPlan.maxThroughput("schakel-max", concurrency, d), "schakel", real)));
      questionsPerToken[0] = run.questionsPerToken();
    }

    PhaseResult baseline = phases.get(0);
    PhaseResult low = phases.get(1);
    Report.Overhead overhead = new Report.Overhead(LOW_RATE, baseline.latency().medianMs(), low.latency().medianMs(),
        low.latency().medianMs() / Math.max(baseline.latency().medianMs(), 1e-3));
    CryptoCeiling.Ceiling ceiling = CryptoCeiling.compute(costs, n, machine.cores(),
        Math.max(1, questionsPerToken[0]), ENTRIES_PER_GROUP_COMMIT);
    List<String> notes = new ArrayList<>();
    notes.add("CPU per question is the whole process (gateway, nodes, baseline and load generator share one JVM) divided by"
        + " the questions sent in the phase.");
    if (!log) {
      notes.add("Per-question INFO log lines of gateway and nodes were off (WARN and above only); --log keeps them.");
    }
    notes.add(String.format(Locale.ROOT, "Ceiling assumes %.0f audit entries per group commit (not measured) and"
        + " one analyst token per %d questions.", ENTRIES_PER_GROUP_COMMIT, Math.max(1, questionsPerToken[0])));
    Report report = new Report(Report.FORMAT, started.toString(), commandLine(), machine,
        new Report.Setup(n, m, BenchFederation.PURPOSE + " person question, hit-per-party, no responders named",
            HIT_FRACTION, SECURITY),
        phases, overhead, ceiling,
        Goals.judge(n, Optional.of(phases.get(2)), Optional.of(phases.get(3)), overhead, ceiling),
        List.of(), notes);

    if (scale) {
      List<Report.ScalePoint> points = new ArrayList<>();
      List<String> scaleNotes = new ArrayList<>();
      for (int sn : scaleNodes) {
        scalePoint("nodes", sn, 100_000, driver, console).ifPresentOrElse(points::add,
            () -> scaleNotes.add("nodes=" + sn + " skipped: see the console"));
      }
      for (long sm : scaleRecords) {
        long estimate = estimatedHeapBytes(4, sm);
        if (estimate > Runtime.getRuntime().maxMemory() * 0.8) {
          scaleNotes.add(String.format(Locale.ROOT, "records=%,d x 4 nodes skipped: estimated heap %,d MB exceeds 80%%"
              + " of -Xmx (%,d MB)", sm, estimate >> 20, Runtime.getRuntime().maxMemory() >> 20));
          continue;
        }
        scalePoint("records", 4, sm, driver, console).ifPresentOrElse(points::add,
            () -> scaleNotes.add("records=" + sm + " skipped: see the console"));
      }
      report = report.withScale(points, scaleNotes);
    }

    ReportFiles.write(report, outDir);
    List<Path> pngs = Plots.write(report, plots != null ? plots : outDir);
    console.println();
    console.print(ReportFiles.markdown(report));
    console.println("wrote " + outDir.resolve(ReportFiles.JSON) + ", " + outDir.resolve(ReportFiles.MARKDOWN));
    pngs.forEach(p -> console.println("wrote " + p));
    return Exits.OK;
  }

  private PhaseResult phase(PrintStream console, LoadDriver driver, LoadPlan plan, String path, Target target)
      throws InterruptedException {
    console.printf("%s (%s)...%n", plan.name(), plan.duration());
    PhaseResult r = driver.run(plan, path, target);
    console.printf(Locale.ROOT, "  %d sent, %.1f ok/s, median %.2f ms, p99 %.2f ms, errors %s%n", r.sent(), r.throughput(),
        r.latency().medianMs(), r.latency().p99Ms(), r.errors());
    return r;
  }

  /** A phase that {@link #timed} runs between two scrapes of the gateway's /metrics. */
  @FunctionalInterface
  private interface Phase {
    PhaseResult run() throws InterruptedException;
  }

  /**
   * Runs {@code phase} and adds the gateway's own timing of it (issue 7: the audit log's share of
   * the p99), from its /metrics scraped before and after; without it if the gateway serves none.
   */
  private static PhaseResult timed(HttpClient http, URI metrics, Phase phase) throws InterruptedException {
    Optional<GatewayMetrics.Scrape> before = GatewayMetrics.scrape(http, metrics);
    PhaseResult r = phase.run();
    Optional<GatewayMetrics.Scrape> after = GatewayMetrics.scrape(http, metrics);
    Optional<PhaseResult.AuditTiming> timing = before.flatMap(b -> after.flatMap(a -> a.since(b)));
    timing.ifPresent(t -> System.out.printf(Locale.ROOT, "  gateway: p99 %s ms, audit p99 %s ms, audit share %.1f%%%n",
        t.questionP99Ms(), t.auditP99Ms(), t.auditShare() * 100));
    return timing.map(r::withAudit).orElse(r);
  }

  private Optional<Report.ScalePoint> scalePoint(String curve, int n, long m, LoadDriver driver, PrintStream console) {
    console.printf(Locale.ROOT, "scale %s: %d nodes x %,d records%n", curve, n, m);
    try (Run run = Run.start(n, m, keep, console)) {
      Duration warm = scaleDuration.dividedBy(3);
      driver.run(LoadPlan.maxThroughput("warm-up", concurrency, warm.isZero() ? Duration.ofSeconds(1) : warm), "schakel",
          run.target());
      PhaseResult r = phase(console, driver, LoadPlan.maxThroughput("scale-max", concurrency, scaleDuration), "schakel",
          run.target());
      return Optional.of(new Report.ScalePoint(curve, n, m, r.throughput(), r.latency().p99Ms(), r.latency().medianMs(),
          r.errorCount()));
    } catch (Exception | OutOfMemoryError e) {
      console.println("  skipped: " + e);
      return Optional.empty();
    }
  }

  /** A rough upper bound of a node index plus the CSV read buffers: about 300 bytes per record. */
  private static long estimatedHeapBytes(int nodes, long records) {
    return nodes * records * 300L;
  }

  private String commandLine() {
    StringBuilder c = new StringBuilder("schakel bench");
    if (quick) {
      c.append(" --quick");
    }
    if (nodes != null) {
      c.append(" --nodes ").append(nodes);
    }
    if (records != null) {
      c.append(" --records ").append(records);
    }
    if (rate != null) {
      c.append(" --rate ").append(rate);
    }
    if (log) {
      c.append(" --log");
    }
    if (duration != null) {
      c.append(" --duration ").append(duration);
    }
    if (warmup != null) {
      c.append(" --warmup ").append(warmup);
    }
    c.append(" --concurrency ").append(concurrency);
    if (scale) {
      c.append(" --scale --scale-nodes ").append(join(scaleNodes)).append(" --scale-records ").append(join(scaleRecords))
          .append(" --scale-duration ").append(scaleDuration);
    }
    return c.toString();
  }

  private static String join(List<?> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  /**
   * One generated federation, started: a temporary directory with federation.yaml, the bench
   * convenant and synthetic records, run by {@link LocalFederation}, plus the analyst tokens and
   * question bodies to drive it.
   */
  private static final class Run implements AutoCloseable {
    private final Path dir;
    private final LocalFederation federation;
    private final Map<String, Path> csvs;
    private final List<String> subjects;
    private final TokenMinter minter;
    private final String issuer;
    private final boolean keep;
    private final PrintStream log;
    private String token;
    private Instant minted = Instant.EPOCH;
    private long tokens;
    private long questions;

    private Run(Path dir, LocalFederation federation, Map<String, Path> csvs, List<String> subjects, TokenMinter minter,
        String issuer, boolean keep, PrintStream log) {
      this.dir = dir;
      this.federation = federation;
      this.csvs = csvs;
      this.subjects = subjects;
      this.minter = minter;
      this.issuer = issuer;
      this.keep = keep;
      this.log = log;
    }

    static Run start(int nodes, long records, boolean keep, PrintStream console) throws Exception {
      Path dir = Files.createTempDirectory("schakel-bench-");
      LocalDate today = LocalDate.now(ZoneId.of("Europe/Amsterdam"));
      console.printf(Locale.ROOT, "generating %d nodes x %,d records in %s...%n", nodes, records, dir);
      BenchFederation.Written written = BenchFederation.write(dir, nodes, records, SEED, today);
      StringBuilder yaml = new StringBuilder()
          .append("# Generated by `schakel bench`: a temporary federation on loopback, ephemeral ports.\n")
          .append("federation: bench\n")
          .append("gateway: {port: 0, deadline: PT2S}\n")
          .append("covenants: [").append(written.covenant()).append("]\n")
          .append("nodes:\n");
      written.csvByParty().forEach((party, csv) ->
          yaml.append("  - {party: ").append(party).append(", port: 0, source: {csv: ").append(csv).append("}}\n"));
      Files.writeString(dir.resolve("federation.yaml"), yaml);
      Files.createDirectories(dir.resolve("run"));
      // LocalFederation's start-up talk goes to a file: the console shows the benchmark.
      PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("run").resolve("bench-up.log")), true);
      LocalFederation federation;
      try {
        federation = LocalFederation.start(dir, Clock.systemUTC(), log);
      } catch (Exception e) {
        log.close();
        throw e;
      }
      Map<String, Path> csvs = new LinkedHashMap<>();
      written.csvByParty().forEach((party, csv) -> csvs.put(party, dir.resolve(csv)));
      List<String> subjects = Subjects.sample(csvs.values(), SUBJECTS, HIT_FRACTION, SEED);
      FederationConfig fed = FederationConfig.load(dir);
      TokenMinter minter = new TokenMinter(DemoIssuerKey.loadOrCreate(LocalFederation.keysDir(dir)), Clock.systemUTC());
      return new Run(dir, federation, csvs, subjects, minter, LocalFederation.issuer(fed.federation()), keep, log);
    }

    Target target() {
      return new Target(URI.create(federation.gatewayUrl() + "/v1/queries"), this::token, bodies());
    }

    /** The gateway's Prometheus metrics, served on loopback, where the bench federation runs. */
    URI metrics() {
      return URI.create(federation.gatewayUrl() + "/metrics");
    }

    /** Question {@code i}: a zvh-casus question about subject {@code i mod SUBJECTS}, a new case number each time. */
    java.util.function.LongFunction<String> bodies() {
      return i -> {
        return "{\"purpose\":\"" + BenchFederation.PURPOSE + "\",\"caseReference\":\"ZVH-2026-"
            + String.format(Locale.ROOT, "%05d", i % 100_000) + "\",\"subject\":{\"type\":\"person\",\"bsn\":\""
            + subjects.get((int) (i % subjects.size())) + "\"}}";
      };
    }

    Map<String, Path> absoluteCsvs() {
      return csvs;
    }

    /** The current analyst token, renewed before nodes would find it too old (TokenCommand's way). */
    synchronized String token() {
      questions++;
      Instant now = Instant.now();
      if (Duration.between(minted, now).compareTo(TOKEN_RENEWAL) > 0) {
        token = minter.mint(new AnalystClaims(issuer, LocalFederation.AUDIENCE, BenchFederation.ASKER_PARTY,
            "bench-analist", List.of(BenchFederation.ASKER_ROLE), Duration.ofMinutes(5)));
        minted = now;
        tokens++;
      }
      return token;
    }

    synchronized long questionsPerToken() {
      return tokens == 0 ? 1 : Math.max(1, questions / tokens);
    }

    @Override
    public void close() {
      federation.close();
      log.close();
      if (keep) {
        System.out.println("kept federation directory " + dir);
        return;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.out.println("could not delete " + dir + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "plot", mixinStandardHelpOptions = true,
      description = "Redraw the PNG plots of a bench report from its report.json, without measuring again.")
  static final class Plot implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "a report.json written by schakel bench")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the PNGs go")
    Path outDir;

    @Override
    public Integer call() {
      try {
        Plots.write(ReportFiles.read(in), outDir).forEach(p -> System.out.println("wrote " + p));
        return Exits.OK;
      } catch (IOException e) {
        System.err.println("cannot plot " + in + ": " + e.getMessage());
        return Exits.ERROR;
      }
    }
  }
}
