package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.KvkNumber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compromised gateway (ARCHITECTURE.md principle 2) sends the police node, over real gRPC,
 * questions the demo convenant forbids. The node holds records on every subject asked about, so
 * any answer other than a refusal would leak; each question must come back refused, for the right
 * reason, without a count.
 *
 * <p>The node's other own checks (secrecy, superseded versions, a claimed rule id or answer kind
 * that differs from the node's own Allow, refusals independent of the records) are specified in
 * {@link CovenantEnforcementTest}; that the node refuses to start with a convenant that is unsigned,
 * partly signed or changed after signing is in {@link NodeStartTest}.
 */
class MaliciousGatewayTest {
  static final Bsn PERSON = Bsn.parse("999990019");
  static final BagId PAND = BagId.parse("0344200000123456");
  static final String RECORDS = """
      person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
      person,999990019,incident.huiselijk-geweld,2026-06-01,BU03440101
      address,0344200000123456,incident.drugs,2026-05-05,BU03440101
      address,0344200000123456,signaal.ondermijning,2026-05-05,BU03440101
      organisation,12345678,signaal.ondermijning,2026-05-05,
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

  static void assertRefused(Answer a, String reason) {
    assertThat(a.getOutcome()).as(a.getRefusalDetail()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).as(a.getRefusalDetail()).isEqualTo(reason);
    assertThat(a.hasCount()).as("a refused question carries no count").isFalse();
  }

  @Test
  void theHonestQuestionIsAnsweredSoEachRefusalBelowIsTheNodesOwnDoing() throws Exception {
    Answer a = politie.ask(demo.r2(politie.pseudonym(PERSON)));

    assertThat(a.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    assertThat(a.getCount().getDisplay()).isEqualTo("1-2");
  }

  @Test
  void refusesAPurposeTheConvenantDoesNotDefine() throws Exception {
    Answer a = politie.ask(demo.r2(politie.pseudonym(PERSON)).setPurpose("nieuwsgierigheid"));

    assertRefused(a, "purpose-unknown");
  }

  @Test
  void refusesAPurposeThatNoRuleLetsThisAskerUse() throws Exception {
    // The burgemeester may ask the police under huisverbod, not under the RIEC's purpose.
    Answer a = politie.ask(demo.r2(politie.pseudonym(PERSON)).setPurpose("ondermijning")
        .setCaseReference("RIEC-2026-0007"));

    assertRefused(a, "no-rule");
  }

  @Test
  void refusesAnAskerWhoseRoleTheRuleDoesNotName() throws Exception {
    Answer a = politie.ask(demo.r2(politie.pseudonym(PERSON)).clearAskerRoles().addAskerRoles("oov-adviseur"));

    assertRefused(a, "no-rule");
    assertThat(a.getRefusalDetail()).contains("oov-adviseur").contains("huisverbod");
  }

  @Test
  void refusesACategoryTheRuleDoesNotAllow() throws Exception {
    // R7 lets the OOV adviser ask about drug incidents at an address, not about undermining signals.
    Answer a = politie.ask(demo.r7(politie.pseudonym(PAND), "signaal.ondermijning"));

    assertRefused(a, "category-not-allowed");
  }

  @Test
  void refusesARuleThatNamesAnotherResponderAndNotThisNode() throws Exception {
    // R5 lets the RIEC ask the Belastingdienst about a company; no rule lets it ask the police.
    Question.Builder taxRule = demo.base("riec", List.of("analist"), "ondermijning", "RIEC-2026-0007")
        .setSubject(Questions.organisation(politie.pseudonym(KvkNumber.parse("12345678"))))
        .addResponders(Questions.rule("politie", "R5", AnswerKind.HIT_PER_PARTY));
    // R3 lets the burgemeester ask Veilig Thuis hit/no-hit; from the police the same asker gets a band (R2).
    Question.Builder veiligThuisRule = demo.r2(politie.pseudonym(PERSON)).setResponders(0,
        Questions.rule("politie", "R3", AnswerKind.HIT_PER_PARTY));

    assertRefused(politie.ask(taxRule), "no-rule");
    Answer a = politie.ask(veiligThuisRule);
    assertRefused(a, "rule-mismatch");
    assertThat(a.getRefusalDetail()).contains("'R3'").contains("rule R2 answered as count");
  }

  @Test
  void refusesAConvenantVersionWhoseValidityHasEnded() throws Exception {
    Instant later = Instant.parse("2028-01-02T10:00:00Z"); // the demo convenant ends 2027-12-31
    try (TestNode node = TestNode.start(dir, "politie", RECORDS, List.of(TestNode.DEMO),
        Clock.fixed(later, ZoneOffset.UTC))) {
      Question.Builder q = demo.r2(node.pseudonym(PERSON))
          .setIssuedAtEpochMs(later.toEpochMilli()).setExpiresAtEpochMs(later.plusSeconds(30).toEpochMilli());

      Answer a = node.ask(q);
      assertRefused(a, "covenant-not-in-force");
      assertThat(a.getRefusalDetail()).contains("zvo-midden v3").contains("expired on 2028-01-02");
    }
  }

  @Test
  void refusesANewerVersionItDoesNotHoldSignedEvenWhenTheGatewayCitesItsExactHash() throws Exception {
    // The gateway makes up version 4, in which R2 hands out the count instead of a band, and cites
    // its real canonical hash. Not every party signed v4, so the node does not hold it.
    Path v4 = dir.resolve("zvo-midden.v4.yaml");
    Files.writeString(v4, Files.readString(TestNode.DEMO)
        .replace("version: 3", "version: 4")
        .replace("    disclosure: {bands: [0, 1, 3, 6]}\n", ""));
    Question.Builder q = new Questions(v4).r2(politie.pseudonym(PERSON));

    Answer a = politie.ask(q);
    assertRefused(a, "covenant-unknown");
    assertThat(a.getRefusalDetail()).contains("zvo-midden v4").contains("it holds zvo-midden v3");
    assertRefused(politie.ask(demo.r2(politie.pseudonym(PERSON)).setCovenantId("zvo-zuid")), "covenant-unknown");
  }

  @Test
  void refusesTheHashOfAnotherTextUnderTheVersionItHolds() throws Exception {
    byte[] tampered = demo.covenant().canonicalHash();
    tampered[0] ^= 1;

    assertRefused(politie.ask(demo.r2(politie.pseudonym(PERSON)).setCovenantHash(ByteString.copyFrom(tampered))),
        "covenant-hash-mismatch");
    assertRefused(politie.ask(demo.r2(politie.pseudonym(PERSON)).clearCovenantHash()), "covenant-hash-mismatch");
  }
}
