package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule's lookback: only records within the period, counted in days back from the question's
 * issue day in Europe/Amsterdam (here 2026-11-29), count; the first day of the window counts.
 */
class LookbackTest {
  static final Bsn RECENT_AND_OLD = Bsn.parse("999990019");
  static final Bsn ONLY_OLD = Bsn.parse("999990032");
  static final Bsn ON_THE_BOUNDARY = Bsn.parse("999990044");
  static final BagId DRUGS_13_MONTHS_AGO = BagId.parse("0344200000000001");
  static final BagId DRUGS_12_MONTHS_AGO = BagId.parse("0344200000000002");

  static final String RECORDS = """
      person,999990019,incident.huiselijk-geweld,2020-11-29,
      person,999990019,incident.huiselijk-geweld,2021-11-28,
      person,999990019,incident.huiselijk-geweld,2021-11-29,
      person,999990019,incident.huiselijk-geweld,2026-12-05,
      person,999990032,incident.huiselijk-geweld,2020-06-01,
      person,999990044,incident.huiselijk-geweld,2021-11-29,
      address,0344200000000001,incident.drugs,2025-11-28,
      address,0344200000000002,incident.drugs,2025-11-29,
      """;

  @TempDir
  Path dir;
  TestNode politie;
  Questions demo;

  @BeforeEach
  void start() throws Exception {
    politie = TestNode.start(dir, "politie", RECORDS);
    demo = Questions.demo();
  }

  @AfterEach
  void stop() {
    politie.close();
  }

  @Test
  void fiveYearLookbackDropsOlderIncidentsAndKeepsTheFirstDayOfTheWindow() throws Exception {
    // 2020-11-29 and 2021-11-28 are out; 2021-11-29 (exactly five years) and a future date are in: 2 records.
    Answer a = politie.ask(demo.r2(politie.pseudonym(RECENT_AND_OLD)));

    assertThat(a.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    assertThat(a.getCount().getDisplay()).isEqualTo("1-2");
  }

  @Test
  void aSixYearOldIncidentDoesNotCountAtAll() throws Exception {
    assertThat(politie.ask(demo.r2(politie.pseudonym(ONLY_OLD))).getCount().getDisplay()).isEqualTo("0");
  }

  @Test
  void twelveMonthLookbackDecidesAHitPerPartyAnswerToo() throws Exception {
    assertThat(politie.ask(demo.r7(politie.pseudonym(DRUGS_13_MONTHS_AGO), "incident.drugs")).getOutcome())
        .isEqualTo(Outcome.NO_HIT);
    assertThat(politie.ask(demo.r7(politie.pseudonym(DRUGS_12_MONTHS_AGO), "incident.drugs")).getOutcome())
        .isEqualTo(Outcome.HIT);
  }

  @Test
  void aRuleWithoutLookbackCountsEveryRecord() throws Exception {
    assertThat(politie.ask(demo.r1("politie", politie.pseudonym(ONLY_OLD))).getOutcome()).isEqualTo(Outcome.HIT);
  }

  @Test
  void theIssueDayIsTheDayInAmsterdamNotInUtc() throws Exception {
    // 23:30 UTC on 29 November is already 30 November in Amsterdam: the window starts 2021-11-30.
    Instant lateEvening = Instant.parse("2026-11-29T23:30:00Z");
    try (TestNode node = TestNode.start(dir, "politie", RECORDS, List.of(TestNode.DEMO),
        Clock.fixed(lateEvening, ZoneOffset.UTC))) {
      Answer a = node.ask(demo.r2(node.pseudonym(ON_THE_BOUNDARY))
          .setIssuedAtEpochMs(lateEvening.toEpochMilli())
          .setExpiresAtEpochMs(lateEvening.plusSeconds(30).toEpochMilli()));

      assertThat(a.getCount().getDisplay()).isEqualTo("0");
    }
    assertThat(politie.ask(demo.r2(politie.pseudonym(ON_THE_BOUNDARY))).getCount().getDisplay()).isEqualTo("1-2");
  }
}
