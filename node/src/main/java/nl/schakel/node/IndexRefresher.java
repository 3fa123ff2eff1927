package nl.schakel.node;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the index answers read, and replaces it: a refresh reads the whole source into a new index
 * beside the old one and only then swaps the reference, so an answer sees either the old index or
 * the new one, never a half-built one, and never waits for a refresh. A refresh that fails (the
 * database went away, the file vanished) leaves the old index serving and is reported in the log
 * and in {@link #status()}. The cost is memory: during a refresh two indexes are alive.
 */
final class IndexRefresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IndexRefresher.class);

  private final String party;
  private final RecordSource source;
  private final Supplier<RecordIndex.Builder> builders;
  private final Clock clock;
  private final AtomicReference<RecordIndex> index = new AtomicReference<>();
  private final AtomicReference<RefreshStatus> status = new AtomicReference<>();
  /** One refresh at a time: a manual one waits for a scheduled one instead of reading the source twice. */
  private final ReentrantLock refreshing = new ReentrantLock();
  private final AtomicReference<ScheduledExecutorService> schedule = new AtomicReference<>();

  private IndexRefresher(String party, RecordSource source, Supplier<RecordIndex.Builder> builders, Clock clock) {
    this.party = party;
    this.source = source;
    this.builders = builders;
    this.clock = clock;
  }

  /** Builds the first index; a node without one cannot answer, so failure here stops the start. */
  static IndexRefresher load(String party, RecordSource source, Supplier<RecordIndex.Builder> builders, Clock clock)
      throws IOException {
    IndexRefresher r = new IndexRefresher(party, source, builders, clock);
    Instant started = clock.instant();
    RecordIndex.Builder builder = builders.get();
    IngestReport report = source.read(builder::add);
    r.swap(builder.build(), report, started, 0);
    return r;
  }

  /** The index to answer from now. Never blocks. */
  RecordIndex current() {
    return index.get();
  }

  RefreshStatus status() {
    return status.get();
  }

  /**
   * Reads the source again and swaps in the new index, or keeps the old one and records why not.
   * Returns the status afterwards; never throws, since a failed refresh is a state, not a crash.
   */
  RefreshStatus refresh() {
    refreshing.lock();
    try {
      Instant started = clock.instant();
      RefreshStatus before = status.get();
      try {
        RecordIndex.Builder builder = builders.get();
        IngestReport report = source.read(builder::add);
        swap(builder.build(), report, started, before.failures());
      } catch (IOException | RuntimeException e) {
        // Sources redact their own messages; a runtime failure's text is not trusted that far.
        String why = e instanceof IOException ? e.getMessage()
            : e.getClass().getSimpleName() + ": " + Redaction.identifiers(String.valueOf(e.getMessage()));
        status.set(new RefreshStatus(before.source(), before.indexBuiltAt(), before.records(), before.ingest(), started,
            Optional.of(why), before.refreshes(), before.failures() + 1));
        log.error("party={} refresh of source {} failed: {}; still answering from the index built {} ({} records)",
            party, source.describe(), why, before.indexBuiltAt(), before.records());
      }
      return status.get();
    } finally {
      refreshing.unlock();
    }
  }

  /** Refreshes every {@code every} after the previous refresh ended, on a daemon thread of its own. */
  void refreshEvery(Duration every) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "schakel-node-" + party + "-refresh");
      t.setDaemon(true);
      return t;
    });
    if (!schedule.compareAndSet(null, s)) {
      s.shutdown();
      throw new IllegalStateException("refresh of party " + party + " is already scheduled");
    }
    // Fixed delay, not rate: a slow source never has two refreshes queued behind each other.
    s.scheduleWithFixedDelay(this::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    log.info("party={} refreshes source {} every {}", party, source.describe(), every);
  }

  private void swap(RecordIndex next, IngestReport report, Instant started, long failures) {
    index.set(next);
    RefreshStatus before = status.get();
    status.set(new RefreshStatus(source.describe(), clock.instant(), next.records(), report, started, Optional.empty(),
        before == null ? 1 : before.refreshes() + 1, failures));
    log.info("party={} ingested {} records from {} ({} rows rejected)", party, report.accepted(), source.describe(),
        report.rejected());
    report.firstRejections().forEach(r -> log.warn("party={} rejected source {}", party, r));
  }

  @Override
  public void close() {
    ScheduledExecutorService s = schedule.get();
    if (s != null) {
      s.shutdownNow();
    }
  }
}
