package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a gateway sees when its database goes away mid-run, and what survives a restart. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostgresAuditLogOutageTest {

  @TempDir static Path data;
  private static PgTestDatabase db;

  @BeforeAll
  static void startPostgres() {
    db = PgTestDatabase.start(data);
  }

  @AfterAll
  static void stopPostgres() {
    db.close();
  }

  @Test
  void failsAppendsWhenTheDatabaseStopsAndLosesNothingAcknowledged() throws Exception {
    PostgresAuditLog.Options options =
        PostgresAuditLog.Options.defaults().withLogName("outage").withPollInterval(Duration.ZERO);
    Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    CountDownLatch enoughAcknowledged = new CountDownLatch(300);
    CountDownLatch failed = new CountDownLatch(1);

    PostgresAuditLog log = PostgresAuditLog.open(db.dataSource(), options);
    try {
      // Appends keep flowing, 32 in flight, until one fails.
      Semaphore inFlight = new Semaphore(32);
      Thread appender =
          new Thread(
              () -> {
                for (int i = 0; failed.getCount() > 0; i++) {
                  inFlight.acquireUninterruptibly();
                  byte[] entry = ("entry " + i).getBytes(StandardCharsets.UTF_8);
                  log.append(entry)
                      .whenComplete(
                          (result, error) -> {
                            if (error == null) {
                              acknowledged.put(result.index(), entry);
                              enoughAcknowledged.countDown();
                            } else {
                              firstFailure.compareAndSet(null, error);
                              failed.countDown();
                            }
                            inFlight.release();
                          });
                }
              });
      appender.start();
      assertThat(enoughAcknowledged.await(30, TimeUnit.SECONDS)).isTrue();

      db.stop();

      assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();
      appender.join();
      assertThat(firstFailure.get()).isInstanceOf(AuditLogException.class);
      assertThat(log.writable()).isFalse();
      assertThatThrownBy(() -> log.append("after the outage".getBytes(StandardCharsets.UTF_8)).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(AuditLogException.class);
      // What was acknowledged stays readable as proofs; only new appends are refused.
      assertThat(log.size()).isGreaterThanOrEqualTo(acknowledged.size());
    } finally {
      log.close();
    }

    db.startAgain();

    try (PostgresAuditLog reopened = PostgresAuditLog.open(db.dataSource(), options)) {
      assertThat(reopened.size()).isGreaterThanOrEqualTo(acknowledged.size());
      for (Map.Entry<Long, byte[]> ack : acknowledged.entrySet()) {
        assertThat(reopened.entry(ack.getKey())).isEqualTo(ack.getValue());
      }
      assertThat(reopened.writable()).isTrue();
      assertThat(reopened.append("after the restart".getBytes(StandardCharsets.UTF_8)).join().index())
          .isEqualTo(reopened.size() - 1);
    }
  }

  @Test
  void failsToOpenWithAClearErrorWhenTheDatabaseIsUnreachable() {
    assertThatThrownBy(
            () ->
                PostgresAuditLog.open(
                    "jdbc:postgresql://127.0.0.1:1/none",
                    "schakel",
                    "secret-password",
                    PostgresAuditLog.Options.defaults()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("could not open audit log schakel_audit in PostgreSQL")
        .hasMessageNotContaining("secret-password");
  }
}
