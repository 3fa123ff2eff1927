package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The partner's database goes away in the middle of a refresh: the node keeps answering from its old index. */
class JdbcSourceOutageTest {
  static final String CATEGORY = "incident.huiselijk-geweld";
  static final Bsn KNOWN = Bsn.parse("999990019");

  /** This class stops its database, so it has one of its own. */
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

  @Test
  void keepsServingTheOldIndexAndReportsTheErrorWhenTheDatabaseStopsMidRefresh() throws Exception {
    db.insert("person", KNOWN.digits(), CATEGORY, "2026-01-10", null);
    db.insert("person", "999990032", CATEGORY, "2026-02-01", null);
    Questions questions = Questions.demo();
    try (TestNode politie = JdbcNodeRefreshTest.startNode(dir, db)) {
      var known = politie.pseudonym(KNOWN);
      CompletableFuture<RefreshStatus> refresh;
      Connection lock = JdbcNodeRefreshTest.lockTable(db);
      refresh = CompletableFuture.supplyAsync(politie.node::refreshNow);
      JdbcNodeRefreshTest.awaitRefreshBlockedOnLock(db);

      db.close(); // the database stops while the refresh's query is running
      try {
        lock.close();
      } catch (java.sql.SQLException gone) {
        // Its server is gone too.
      }

      RefreshStatus failed = refresh.get(60, TimeUnit.SECONDS);
      assertThat(failed.ok()).isFalse();
      assertThat(failed.failures()).isEqualTo(1);
      assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e)
          .startsWith(db.url() + ": ")
          .doesNotContain(PartnerDatabase.READER_PASSWORD)
          .doesNotContain("999990"));
      assertThat(failed.records()).isEqualTo(2);
      assertThat(politie.ask(questions.r1("politie", known, CATEGORY)).getOutcome()).isEqualTo(Outcome.HIT);

      // Still down at the next refresh: refused connection, counted again, old index still answering.
      RefreshStatus again = politie.node.refreshNow();
      assertThat(again.failures()).isEqualTo(2);
      assertThat(again.lastError()).hasValueSatisfying(e -> assertThat(e).contains("Connection").contains("refused"));
      assertThat(politie.ask(questions.r1("politie", known, CATEGORY)).getOutcome()).isEqualTo(Outcome.HIT);
      assertThat(politie.node.records()).isEqualTo(2);
    }
  }
}
