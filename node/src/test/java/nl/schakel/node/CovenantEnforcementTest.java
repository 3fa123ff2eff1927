package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Principle 2: the node decides by its own copy of the convenant. Every question here is one a
 * (compromised or out-of-date) gateway could send; the node must refuse it, not take its word.
 * The forbidden questions of a malicious gateway (wrong purpose, role or category, another
 * responder's rule, an expired, unsigned or tampered convenant version) are specified together in
 * {@link MaliciousGatewayTest}; this class holds the node's remaining convenant checks.
 */
class CovenantEnforcementTest {
  static final Bsn KNOWN = Bsn.parse("999990019");
  static final Bsn UNKNOWN = Bsn.parse("999990032");
  static final BagId PAND = BagId.parse("0344200000123456");

  @TempDir
  Path dir;
  TestNode politie;
  Questions demo;

  @BeforeEach
  void start() throws Exception {
    politie = TestNode.start(dir, "politie", """
        person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
        address,0344200000123456,signaal.ondermijning,2026-05-05,BU03440101
        """);
    demo = Questions.demo();
  }

  @AfterEach
  void stop() {
    politie.close();
  }

  static void assertRefused(Answer a, String reason) {
    assertThat(a.getOutcome()).as(a.getRefusalDetail()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).as(a.getRefusalDetail()).isEqualTo(reason);
    assertThat(a.hasCount()).isFalse();
  }

  @Test
  void aSecrecyPartysNodeRefusesInTheConvenantsWords() throws Exception {
    try (TestNode ggz = TestNode.start(dir, "ggz", "person,999990019,behandeling,2026-01-01,\n")) {
      Answer a = ggz.ask(demo.r1("ggz", ggz.pseudonym(KNOWN), "behandeling"));

      assertRefused(a, "secrecy");
      assertThat(a.getRefusalDetail()).isEqualTo("Medisch beroepsgeheim (WGBO art. 7:457 BW)");
    }
  }

  @Test
  void refusesACaseReferenceThePurposeDoesNotAccept() throws Exception {
    assertRefused(politie.ask(demo.r2(politie.pseudonym(KNOWN)).setCaseReference("ZVH-2026-00042")),
        "case-reference-invalid");
  }

  @Test
  void answersOnlyAboutItsOwnAllowedCategoriesWhateverListTheGatewaySends() throws Exception {
    // The address has only an undermining signal. With no list, "everything" would be a hit;
    // the node's own Allow covers incident.drugs only.
    Answer a = politie.ask(demo.r7(politie.pseudonym(PAND)));

    assertThat(a.getOutcome()).isEqualTo(Outcome.NO_HIT);
    assertThat(a.getRuleId()).isEqualTo("R7");
  }

  @Test
  void refusesAQuestionCitingAVersionSupersededByOneInForce() throws Exception {
    Path v1 = Fixtures.covenant(dir, "test-ondermijning", 1);
    Path v2 = Fixtures.covenant(dir, "test-ondermijning", 2);
    try (TestNode node = TestNode.start(dir, "politie", "person,999990019,signaal.ondermijning,2026-01-01,\n",
        List.of(v1, v2), Clock.fixed(TestNode.NOW, ZoneOffset.UTC))) {
      Question.Builder old = p1(new Questions(v1), node.pseudonym(KNOWN));
      Question.Builder current = p1(new Questions(v2), node.pseudonym(KNOWN));

      Answer refused = node.ask(old);
      assertRefused(refused, "covenant-superseded");
      assertThat(refused.getRefusalDetail()).contains("test-ondermijning v2");
      assertThat(node.ask(current).getOutcome()).isEqualTo(Outcome.HIT);
    }
  }

  @Test
  void keepsAnsweringUnderTheOlderVersionUntilTheNewerComesIntoForce() throws Exception {
    Path v1 = Fixtures.covenant(dir, "test-ondermijning", 1);
    Path v2 = Fixtures.covenant(dir, "test-ondermijning", 2, "2027-01-01", "2027-12-31", "{min: 5, round: 5}");
    try (TestNode node = TestNode.start(dir, "politie", "person,999990019,signaal.ondermijning,2026-01-01,\n",
        List.of(v1, v2), Clock.fixed(TestNode.NOW, ZoneOffset.UTC))) {
      assertThat(node.ask(p1(new Questions(v1), node.pseudonym(KNOWN))).getOutcome()).isEqualTo(Outcome.HIT);
      assertRefused(node.ask(p1(new Questions(v2), node.pseudonym(KNOWN))), "covenant-not-in-force");
    }
  }

  @Test
  void refusesWhenTheGatewayClaimsAnotherRuleOrAnswerKind() throws Exception {
    Question.Builder otherRule = demo.r2(politie.pseudonym(KNOWN)).setResponders(0,
        Questions.rule("politie", "R1", AnswerKind.COUNT, "incident.huiselijk-geweld"));
    // R2 releases a band; a gateway claiming hit-per-party must not get a different kind of answer.
    Question.Builder otherKind = demo.r2(politie.pseudonym(KNOWN)).setResponders(0,
        Questions.rule("politie", "R2", AnswerKind.HIT_PER_PARTY, "incident.huiselijk-geweld"));

    Answer a = politie.ask(otherRule);
    assertRefused(a, "rule-mismatch");
    assertThat(a.getRefusalDetail()).contains("'R1'").contains("rule R2 answered as count");
    assertRefused(politie.ask(otherKind), "rule-mismatch");
  }

  @Test
  void aRefusalIsTheSameWhetherOrNotItHoldsRecordsOnTheSubject() throws Exception {
    // Principle 3: nothing in a refusal may depend on the records.
    Answer known = politie.ask(demo.r2(politie.pseudonym(KNOWN)).setQuestionId("q-known").setPurpose("zvh-casus")
        .setCaseReference("ZVH-2026-00042"));
    Answer unknown = politie.ask(demo.r2(politie.pseudonym(UNKNOWN)).setQuestionId("q-unknown").setPurpose("zvh-casus")
        .setCaseReference("ZVH-2026-00042"));

    assertRefused(known, "no-rule");
    assertThat(known.toBuilder().clearQuestionHash().clearQuestionId().build())
        .isEqualTo(unknown.toBuilder().clearQuestionHash().clearQuestionId().build());
  }

  private static Question.Builder p1(Questions covenant, ByteString person) {
    return covenant.base("riec", List.of("analist"), "ondermijning", "")
        .setSubject(Questions.person(person))
        .addResponders(Questions.rule("politie", "P1", AnswerKind.HIT_PER_PARTY, "signaal.ondermijning"));
  }
}
