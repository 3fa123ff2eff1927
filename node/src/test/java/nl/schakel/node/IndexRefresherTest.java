package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import org.junit.jupiter.api.Test;

/** A refresh builds a new index beside the old one; answers never see half of one or wait for one. */
class IndexRefresherTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
  final HmacPseudonymiser pseudonymiser = HmacPseudonymiser.create(PseudonymKey.generate(new SecureRandom()), Node.MATCHING);
  final CellKeys keys = CellKeys.of(new byte[32]);

  SubjectRecord record(String bsn) {
    return new SubjectRecord(IdentifierForm.BSN, pseudonymiser.pseudonymise(Bsn.parse(bsn)), "melding",
        LocalDate.of(2026, 1, 10), Optional.empty());
  }

  /** A source whose reads are scripted one by one. */
  static final class ScriptedSource implements RecordSource {
    private final java.util.Deque<Read> reads = new java.util.ArrayDeque<>();

    interface Read {
      IngestReport read(Consumer<SubjectRecord> sink) throws IOException;
    }

    ScriptedSource then(Read r) {
      reads.add(r);
      return this;
    }

    @Override
    public IngestReport read(Consumer<SubjectRecord> sink) throws IOException {
      return reads.remove().read(sink);
    }

    @Override
    public String describe() {
      return "scripted";
    }
  }

  static ScriptedSource.Read records(SubjectRecord... rs) {
    return sink -> {
      List.of(rs).forEach(sink);
      return new IngestReport(rs.length, 0, List.of());
    };
  }

  IndexRefresher load(ScriptedSource source) throws IOException {
    return IndexRefresher.load("politie", source, () -> RecordIndex.builder(keys), CLOCK);
  }

  @Test
  void swapsInTheNewIndexOnlyWhenItIsComplete() throws IOException {
    IndexRefresher refresher = load(new ScriptedSource()
        .then(records(record("999990019")))
        .then(records(record("999990019"), record("999990032"))));

    RefreshStatus status = refresher.refresh();

    assertThat(refresher.current().records()).isEqualTo(2);
    assertThat(status.ok()).isTrue();
    assertThat(status.refreshes()).isEqualTo(2);
    assertThat(status.records()).isEqualTo(2);
    assertThat(status.source()).isEqualTo("scripted");
  }

  @Test
  void keepsTheOldIndexWhenTheSourceFailsMidwayAndReportsWhy() throws IOException {
    IndexRefresher refresher = load(new ScriptedSource()
        .then(records(record("999990019")))
        .then(sink -> {
          sink.accept(record("999990032"));
          throw new IOException("jdbc:postgresql://db/records: An I/O error occurred (after 1 rows)");
        }));
    RecordIndex before = refresher.current();

    RefreshStatus status = refresher.refresh();

    assertThat(refresher.current()).isSameAs(before);
    assertThat(refresher.current().records()).isEqualTo(1);
    assertThat(status.ok()).isFalse();
    assertThat(status.lastError()).contains("jdbc:postgresql://db/records: An I/O error occurred (after 1 rows)");
    assertThat(status.failures()).isEqualTo(1);
    assertThat(status.records()).isEqualTo(1);
  }

  @Test
  void redactsIdentifiersInAnUnexpectedFailure() throws IOException {
    IndexRefresher refresher = load(new ScriptedSource()
        .then(records(record("999990019")))
        .then(sink -> {
          throw new IllegalStateException("driver bug on value 999990019");
        }));

    RefreshStatus status = refresher.refresh();

    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("IllegalStateException: driver bug on value").doesNotContain("999990019"));
  }

  @Test
  void aFailedFirstLoadStopsTheStart() {
    assertThatThrownBy(() -> load(new ScriptedSource().then(sink -> {
      throw new IOException("records.csv: first line must be the header");
    }))).isInstanceOf(IOException.class).hasMessageContaining("header");
  }

  @Test
  void answersReadTheOldIndexWithoutWaitingWhileARefreshIsBuilding() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IndexRefresher refresher = load(new ScriptedSource()
        .then(records(record("999990019")))
        .then(sink -> {
          sink.accept(record("999990019"));
          sink.accept(record("999990032"));
          reading.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          return new IngestReport(2, 0, List.of());
        }));
    var pending = CompletableFuture.supplyAsync(refresher::refresh);
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

    // Mid-refresh: the reader gets the complete old index at once.
    assertThat(refresher.current().records()).isEqualTo(1);
    assertThat(refresher.status().refreshes()).isEqualTo(1);

    release.countDown();
    assertThat(pending.get(10, TimeUnit.SECONDS).ok()).isTrue();
    assertThat(refresher.current().records()).isEqualTo(2);
  }
}
