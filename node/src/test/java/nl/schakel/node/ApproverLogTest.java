package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A four-eyes question's entry in the node's log names the approver the node verified itself
 * (the {@code sub} of the approver credential), never the gateway's word for it.
 */
class ApproverLogTest {
  @TempDir
  Path dir;

  @Test
  void logsTheVerifiedApproverOfAnAnsweredFourEyesQuestionAndNoneOtherwise() throws Exception {
    try (TestNode belastingdienst = TestNode.start(dir, "belastingdienst",
        "organisation,12345678,fiscaal-signaal,2026-05-05,\n")) {
      Question.Builder r5 = Questions.demo().base("riec", List.of("analist"), "ondermijning", "RIEC-2026-0007")
          .setSubject(Questions.organisation(belastingdienst.pseudonym(AnalystCredentialTest.BEDRIJF)))
          .addResponders(Questions.rule("belastingdienst", "R5", AnswerKind.HIT_PER_PARTY, "fiscaal-signaal"));
      Question approved = r5.clone().setApproverCredential(AnalystCredentialTest.credential(
          belastingdienst.token("riec", "l.analist", List.of("analist"), Duration.ofMinutes(5)))).build();
      Question selfApproved = r5.clone().setQuestionId("self").setApproverCredential(AnalystCredentialTest.credential(
          belastingdienst.token("riec", "riec.person", List.of("analist"), Duration.ofMinutes(5)))).build();

      assertThat(belastingdienst.askAsIs(approved).getOutcome()).isEqualTo(Outcome.HIT);
      assertThat(belastingdienst.askAsIs(selfApproved).getOutcome()).isEqualTo(Outcome.REFUSED);

      NodeLog log = belastingdienst.node.nodeLog();
      NodeLogEntry answered = NodeLogEntry.parseFrom(log.entry(0));
      NodeLogEntry refused = NodeLogEntry.parseFrom(log.entry(1));
      assertThat(answered.getApproverPerson()).isEqualTo("l.analist");
      assertThat(answered.getAskerPerson()).isEqualTo("riec.person");
      assertThat(refused.getRefusalReason()).isEqualTo("approval-self");
      assertThat(refused.getApproverPerson()).as("only a verified, accepted approval is logged").isEmpty();
    }
  }
}
