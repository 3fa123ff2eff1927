package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node reading a real PostgreSQL over a SQL mapping, answering over mTLS gRPC from several threads
 * while its index is refreshed: no answer fails or waits for a refresh, and rows added to the
 * database become hits once the new index is swapped in.
 */
class JdbcNodeRefreshTest {
  static final String CATEGORY = "incident.huiselijk-geweld";
  static final Bsn KNOWN = Bsn.parse("999990019");
  static final List<String> ADDED = List.of("999990032", "999990044", "999990056");
  static final int ASKERS = 4;

  static PartnerDatabase db;

  @TempDir
  Path dir;

  @BeforeAll
  static void startDatabase() throws Exception {
    db = PartnerDatabase.start();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    db.close();
  }

  static TestNode startNode(Path dir, PartnerDatabase db) throws IOException {
    return startNode(dir, db, TestNode.DEMO);
  }

  static TestNode startNode(Path dir, PartnerDatabase db, Path covenant) throws IOException {
    var source = new NodeConfig.Source(db.source(PartnerDatabase.MAPPING, dir), Optional.empty());
    return TestNode.start(dir, "politie", source, List.of(covenant), Clock.fixed(TestNode.NOW, ZoneOffset.UTC),
        TestNode.freshStateDir(dir, "politie"));
  }

  /**
   * Holds an exclusive lock on the partner's table, so a refresh that has started its query waits
   * in the database, mid-refresh, until the lock is released.
   */
  static Connection lockTable(PartnerDatabase db) throws SQLException {
    Connection c = db.admin();
    c.setAutoCommit(false);
    c.createStatement().execute("LOCK TABLE registraties IN ACCESS EXCLUSIVE MODE");
    return c;
  }

  /** Returns once the node's refresh query is waiting for the table lock. */
  static void awaitRefreshBlockedOnLock(PartnerDatabase db) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = db.admin(); var st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
        + " WHERE application_name = 'schakel-node' AND wait_event_type = 'Lock'")) {
      while (true) {
        try (var rs = st.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("refresh query waiting for the lock").isLessThan(deadline);
      }
    }
  }

  @Test
  void answersEveryQuestionWhileRefreshingAndAddedRowsBecomeHitsAfterTheSwap() throws Exception {
    db.insert("person", KNOWN.digits(), CATEGORY, "2026-01-10", "BU03440101");
    // Askers ask as fast as they can, beyond any budget: a convenant without limits (NodeBudgetsTest has those).
    Path covenant = TestCovenants.demoWithoutLimits(dir);
    Questions questions = new Questions(covenant);
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    Semaphore answered = new Semaphore(0);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService askers = Executors.newFixedThreadPool(ASKERS);
    try (TestNode politie = startNode(dir, db, covenant)) {
      var known = politie.pseudonym(KNOWN);
      for (int i = 0; i < ASKERS; i++) {
        askers.submit(() -> {
          while (!stop.get()) {
            try {
              Outcome o = politie.ask(questions.r1("politie", known, CATEGORY)).getOutcome();
              if (o != Outcome.HIT) {
                failures.add("known subject answered " + o);
              }
            } catch (Exception e) {
              failures.add(e.toString());
            }
            answered.release();
          }
        });
      }

      for (String added : ADDED) {
        var subject = politie.pseudonym(Bsn.parse(added));
        db.insert("person", added, CATEGORY, "2026-02-01", null);
        long recordsBefore = politie.node.records();
        CompletableFuture<RefreshStatus> refresh;
        try (Connection lock = lockTable(db)) {
          refresh = CompletableFuture.supplyAsync(politie.node::refreshNow);
          awaitRefreshBlockedOnLock(db);

          // Mid-refresh: every asker keeps getting answers from the old index, which lacks the new row.
          assertThat(answered.tryAcquire(ASKERS * 10, 30, TimeUnit.SECONDS)).as("answers during the refresh").isTrue();
          assertThat(politie.ask(questions.r1("politie", subject, CATEGORY)).getOutcome()).isEqualTo(Outcome.NO_HIT);
          assertThat(refresh).isNotDone();
          lock.commit();
        }

        RefreshStatus status = refresh.get(30, TimeUnit.SECONDS);
        assertThat(status.ok()).isTrue();
        assertThat(status.records()).isEqualTo(recordsBefore + 1);
        assertThat(politie.ask(questions.r1("politie", subject, CATEGORY)).getOutcome()).isEqualTo(Outcome.HIT);
      }
      assertThat(answered.tryAcquire(ASKERS, 30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      askers.shutdown();
      assertThat(askers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      assertThat(failures).isEmpty();
      assertThat(politie.node.refreshStatus().refreshes()).isEqualTo(1 + ADDED.size());
      assertThat(politie.node.refreshStatus().failures()).isZero();
      assertThat(politie.node.ingestReport().accepted()).isEqualTo(1 + ADDED.size());
    } finally {
      stop.set(true);
      askers.shutdownNow();
    }
  }
}
