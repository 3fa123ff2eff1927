package nl.schakel.node;

import static nl.schakel.node.MaliciousGatewayTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node enforces the convenant's budgets itself (issue 6): a compromised gateway that signs
 * questions without charging its own budgets still gets no more answers than the convenant allows,
 * before or after a restart of the node. Each question here is signed with the gateway's genuine
 * key and carries the asker's genuine credential, exactly what a gateway that skipped its budget
 * check would send.
 */
class NodeBudgetsTest {
  static final Bsn PERSON = Bsn.parse("999990019");
  static final String RECORDS = """
      person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
      """;
  /** The demo convenant with budgets small enough to exhaust in a test. */
  static final String LOW_LIMITS = """
      limits:
        - {purpose: zvh-casus, per: analyst, max: 2, window: PT1H}
        - {purpose: zvh-casus, per: party, max: 3, window: PT1H}
        - {purpose: huisverbod, per: analyst, max: 1, window: P1D}
      """;

  @TempDir
  Path dir;
  Path covenant;
  Path stateDir;
  SignedQuestionTest.MovingClock clock;
  Questions questions;
  TestNode politie;

  @BeforeEach
  void start() throws Exception {
    covenant = TestCovenants.demoWithLimits(dir, "low-limits", LOW_LIMITS);
    questions = new Questions(covenant);
    assertThat(questions.covenant().limits()).hasSize(3);
    stateDir = dir.resolve("politie-state");
    clock = new SignedQuestionTest.MovingClock(TestNode.NOW);
    politie = startPolitie();
  }

  private TestNode startPolitie() throws Exception {
    return TestNode.start(dir, "politie", RECORDS, List.of(covenant), clock, stateDir);
  }

  @AfterEach
  void stop() {
    politie.close();
  }

  /** R1 by {@code person} of the Zorg- en Veiligheidshuis, issued at the clock's now. */
  private Question.Builder r1(String person) {
    Instant now = clock.instant();
    return questions.r1("politie", politie.pseudonym(PERSON), "incident.huiselijk-geweld")
        .setAskerPerson(person)
        .setIssuedAtEpochMs(now.toEpochMilli())
        .setExpiresAtEpochMs(now.plusSeconds(30).toEpochMilli());
  }

  private Answer ask(String person) throws Exception {
    return politie.ask(r1(person));
  }

  @Test
  void refusesTheQuestionOneBeyondTheAnalystsBudgetEvenFromAGatewayThatSkippedItsOwn() throws Exception {
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);

    Answer third = ask("a.jansen");

    assertRefused(third, "budget-exhausted");
    assertThat(third.getRefusalDetail())
        .contains("2 per analyst per PT1H for purpose zvh-casus")
        .contains("zvo-midden v3")
        .contains("this analyst")
        .contains("room again in 3600 s");
    // Logged like any refusal, and signed: the gateway can tell it from "unavailable".
    NodeLogEntry last = lastEntry();
    assertThat(last.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(last.getRefusalReason()).isEqualTo("budget-exhausted");
    assertThat(last.getAskerPerson()).isEqualTo("a.jansen");
  }

  @Test
  void countsThePartyBudgetOverAllItsAnalystsAndTheAnalystBudgetPerPerson() throws Exception {
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    // a.jansen's own budget is used up; b.devries still has one, and it is the party's last.
    assertRefused(ask("a.jansen"), "budget-exhausted");
    assertThat(ask("b.devries").getOutcome()).isEqualTo(Outcome.HIT);

    Answer partyDone = ask("b.devries");

    assertRefused(partyDone, "budget-exhausted");
    assertThat(partyDone.getRefusalDetail())
        .contains("3 per party per PT1H for purpose zvh-casus")
        .contains("asking party zvh");
  }

  @Test
  void chargesOnlyTheLimitsOfTheQuestionsPurpose() throws Exception {
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);

    // The burgemeester's huisverbod budget (1 per analyst) is untouched by zvh-casus questions.
    Answer count = politie.ask(questions.r2(politie.pseudonym(PERSON)));
    assertThat(count.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    assertRefused(politie.ask(questions.r2(politie.pseudonym(PERSON))), "budget-exhausted");
  }

  @Test
  void keepsTheCountAcrossARestartOfTheNode() throws Exception {
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);

    politie.close();
    clock.advance(Duration.ofMinutes(5));
    politie = startPolitie();

    assertRefused(ask("a.jansen"), "budget-exhausted");
    assertThat(ask("b.devries").getOutcome()).isEqualTo(Outcome.HIT);
    assertRefused(ask("b.devries"), "budget-exhausted");
  }

  @Test
  void freesBudgetAsTheWindowSlidesPastOldQuestions() throws Exception {
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    clock.advance(Duration.ofMinutes(30));
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertRefused(ask("a.jansen"), "budget-exhausted");

    // The window is (now - PT1H, now]: a question exactly one hour old has left it; the second has not.
    clock.advance(Duration.ofMinutes(30).minusMillis(1));
    assertRefused(ask("a.jansen"), "budget-exhausted");
    clock.advance(Duration.ofMillis(1));
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertRefused(ask("a.jansen"), "budget-exhausted");
  }

  @Test
  void freesBudgetAfterARestartOnceTheWindowHasPassed() throws Exception {
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);

    politie.close();
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    politie = startPolitie();

    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
  }

  @Test
  void doesNotChargeQuestionsRefusedForAnyOtherReasonNorAfterARestart() throws Exception {
    // Refused by the convenant (a role no rule lets ask), by freshness, and as a replay.
    for (int i = 0; i < 3; i++) {
      assertRefused(politie.ask(r1("a.jansen").clearAskerRoles().addAskerRoles("medewerker")), "no-rule");
    }
    Question expired = r1("a.jansen").setExpiresAtEpochMs(clock.instant().minusSeconds(1).toEpochMilli()).build();
    assertRefused(politie.ask(expired), "question-expired");
    Question once = r1("a.jansen").build();
    assertThat(politie.ask(once).getOutcome()).isEqualTo(Outcome.HIT);
    assertRefused(politie.ask(once), "question-replayed");

    politie.close();
    politie = startPolitie();

    assertThat(ask("a.jansen").getOutcome()).as("one of two used").isEqualTo(Outcome.HIT);
    assertRefused(ask("a.jansen"), "budget-exhausted");
  }

  @Test
  void aRefusalForBudgetIsNotChargedItself() throws Exception {
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(ask("a.jansen").getOutcome()).isEqualTo(Outcome.HIT);
    for (int i = 0; i < 5; i++) {
      assertRefused(ask("a.jansen"), "budget-exhausted");
    }
    // The party limit (3) would be used up had the refusals been charged.
    assertThat(ask("b.devries").getOutcome()).isEqualTo(Outcome.HIT);
  }

  @Test
  void describesALimitInTheConvenantsWords() {
    var limits = questions.covenant().limits();
    assertThat(limits.get(0).describe()).isEqualTo("2 per analyst per PT1H for purpose zvh-casus");
    assertThat(limits.get(2).describe()).isEqualTo("1 per analyst per P1D for purpose huisverbod");
  }

  private NodeLogEntry lastEntry() throws Exception {
    NodeLog log = politie.node.nodeLog();
    return NodeLogEntry.parseFrom(log.entry(log.size() - 1));
  }
}
