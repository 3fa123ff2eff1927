package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.DescribeRequest;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.IdentifierForm;
import nl.schakel.proto.v1.NodeDescription;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Subject;
import nl.schakel.proto.v1.SubjectType;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.KvkNumber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node over real gRPC on loopback: what it answers, and what it refuses to. */
class NodeServiceTest {
  static final Bsn KNOWN = Bsn.parse("999990019");
  static final Bsn UNKNOWN = Bsn.parse("999990032");

  @TempDir
  Path dir;
  TestNode politie;
  Questions questions;

  @BeforeEach
  void start() throws Exception {
    politie = TestNode.start(dir, "politie", """
        person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
        person,999990019,incident.huiselijk-geweld,2024-03-01,BU03440101
        organisation,12345678,signaal.ondermijning,2026-02-02,BU03440102
        """);
    questions = Questions.demo();
  }

  @AfterEach
  void stop() {
    politie.close();
  }

  @Test
  void answersHitForAKnownPersonAndNoHitForAnUnknownOne() throws Exception {
    Answer hit = politie.ask(questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld")
        .setQuestionId("q-1"));
    Answer noHit = politie.ask(questions.r1("politie", politie.pseudonym(UNKNOWN), "incident.huiselijk-geweld"));

    assertThat(hit.getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(hit.getQuestionId()).isEqualTo("q-1");
    assertThat(hit.getParty()).isEqualTo("politie");
    assertThat(hit.getRuleId()).isEqualTo("R1");
    assertThat(hit.getQuestionHash().size()).isEqualTo(32);
    // The answer names the convenant text it was decided under.
    assertThat(hit.getCovenantHash().toByteArray()).isEqualTo(questions.covenant().canonicalHash());
    assertThat(noHit.getOutcome()).isEqualTo(Outcome.NO_HIT);
  }

  @Test
  void onlyCountsTheCategoriesTheQuestionNames() throws Exception {
    try (TestNode corporatie = TestNode.start(dir, "woningcorporatie", "person,999990019,overlast,2026-03-03,\n")) {
      ByteString known = corporatie.pseudonym(KNOWN);

      assertThat(corporatie.ask(questions.r1("woningcorporatie", known, "huurcontract")).getOutcome())
          .isEqualTo(Outcome.NO_HIT);
      assertThat(corporatie.ask(questions.r1("woningcorporatie", known, "overlast")).getOutcome())
          .isEqualTo(Outcome.HIT);
      assertThat(corporatie.ask(questions.r1("woningcorporatie", known, "huurcontract", "overlast")).getOutcome())
          .isEqualTo(Outcome.HIT);
    }
  }

  @Test
  void neverReleasesASmallCount() throws Exception {
    Answer count = politie.ask(questions.r4("BU03440102"));

    assertThat(count.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    assertThat(count.getCount().hasValue()).isFalse();
    assertThat(count.getCount().getDisplay()).isEqualTo("<5");
  }

  @Test
  void refusesAQuestionThatDoesNotNameIt() throws Exception {
    Answer a = politie.ask(questions.r1("veilig-thuis", politie.pseudonym(KNOWN), "melding"));

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("not-addressed");
  }

  @Test
  void refusesAnExpiredQuestion() throws Exception {
    Answer a = politie.ask(questions.r1("politie", politie.pseudonym(KNOWN))
        .setExpiresAtEpochMs(TestNode.NOW.minusSeconds(1).toEpochMilli()));

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("question-expired");
  }

  @Test
  void refusesAQuestionBackDatedBeyondTheFreshnessWindowEvenIfItHasNotExpired() throws Exception {
    // A back-dated issue instant would move the lookback window and the convenant's validity day.
    Answer a = politie.ask(questions.r2(politie.pseudonym(KNOWN))
        .setIssuedAtEpochMs(TestNode.NOW.minusSeconds(6 * 60).toEpochMilli()));

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("question-expired");
  }

  @Test
  void refusesAQuestionIssuedInTheFuture() throws Exception {
    Answer a = politie.ask(questions.r1("politie", politie.pseudonym(KNOWN))
        .setIssuedAtEpochMs(TestNode.NOW.plusSeconds(3600).toEpochMilli())
        .setExpiresAtEpochMs(TestNode.NOW.plusSeconds(3630).toEpochMilli()));

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("question-not-yet-valid");
  }

  @Test
  void refusesAnIdentifierFormItDoesNotIndexInsteadOfSayingNoHit() throws Exception {
    Answer a = politie.ask(questions.r7(ByteString.copyFrom(new byte[32]), "incident.drugs"));

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("identifier-form-unsupported");
  }

  @Test
  void refusesASubjectWhoseIdentifierFormContradictsItsType() throws Exception {
    // An organisation's pseudonym dressed up as a person would be asked under a person rule.
    Answer a = politie.ask(questions.r1("politie", politie.pseudonym(KNOWN))
        .setSubject(Subject.newBuilder().setType(SubjectType.PERSON).setForm(IdentifierForm.KVK)
            .setPseudonym(politie.pseudonym(KvkNumber.parse("12345678")))));

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("malformed-question");
  }

  @Test
  void rejectsAnEnvelopeThatIsNotAQuestion() {
    assertThatThrownBy(() -> politie.stub().ask(Envelope.newBuilder().setPayloadType("text/plain")
        .setPayload(ByteString.copyFromUtf8("hello")).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    // Signed by the gateway, but not a question: the signature passes, the parser refuses.
    assertThatThrownBy(() -> politie.stub().ask(politie.signed(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}))))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void describesItsCategoriesIdentifierFormsAndConvenants() {
    NodeDescription d = politie.stub().describe(DescribeRequest.getDefaultInstance());

    assertThat(d.getParty()).isEqualTo("politie");
    assertThat(d.getRecordCount()).isEqualTo(3);
    assertThat(d.getIdentifierFormsList()).containsExactly(IdentifierForm.BSN, IdentifierForm.KVK);
    assertThat(d.getCategoriesList()).extracting(c -> c.getCategory())
        .containsExactly("incident.huiselijk-geweld", "signaal.ondermijning");
    assertThat(d.getCovenantsList()).singleElement().satisfies(c -> {
      assertThat(c.getId()).isEqualTo("zvo-midden");
      assertThat(c.getVersion()).isEqualTo(3);
      assertThat(c.getHash().toByteArray()).isEqualTo(questions.covenant().canonicalHash());
    });
  }
}
