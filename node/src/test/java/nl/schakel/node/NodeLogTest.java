package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.LogAudit;
import nl.schakel.audit.NoteKey;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.HealthRequest;
import nl.schakel.proto.v1.HealthStatus;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.SubjectType;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.pki.PartyCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's own audit log (principle 5 at the node): every envelope that reaches it is logged
 * durably before the reply leaves, with the hash of the very answer envelope the gateway receives,
 * so the partner's auditor can match its log against the gateway's.
 */
class NodeLogTest {
  static final Bsn KNOWN = Bsn.parse("999990019");
  static final String RECORDS = """
      person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
      person,999990019,incident.huiselijk-geweld,2024-03-01,BU03440101
      """;

  @TempDir
  Path dir;
  Path stateDir;
  TestNode politie;
  Questions questions;

  @BeforeEach
  void start() throws Exception {
    stateDir = dir.resolve("politie-state");
    politie = startPolitie();
    questions = Questions.demo();
  }

  private TestNode startPolitie() throws Exception {
    return TestNode.start(dir, "politie", RECORDS, List.of(TestNode.DEMO), Clock.fixed(TestNode.NOW, ZoneOffset.UTC),
        stateDir);
  }

  @AfterEach
  void stop() {
    politie.close();
  }

  @Test
  void logsAnAnsweredQuestionWithTheHashOfTheExactEnvelopeReturned() throws Exception {
    Question q = withCredential(questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld")
        .setQuestionId("q-hit"));
    Envelope question = politie.signed(q.toByteString());

    Envelope reply = politie.stub().ask(question);

    NodeLogEntry entry = onlyEntry();
    assertThat(entry.getAnswerHash()).isEqualTo(sha256(reply.toByteArray()));
    assertThat(entry.getQuestionHash()).isEqualTo(sha256(q.toByteArray()));
    assertThat(entry.getQuestionId()).isEqualTo("q-hit");
    assertThat(entry.getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(entry.getTimeEpochMs()).isEqualTo(TestNode.NOW.toEpochMilli());
    assertThat(entry.getRuleId()).isEqualTo("R1");
    assertThat(entry.getPurpose()).isEqualTo("zvh-casus");
    assertThat(entry.getCaseReference()).isEqualTo("ZVH-2026-00042");
    assertThat(entry.getAskerParty()).isEqualTo("zvh");
    assertThat(entry.getAskerPerson()).isEqualTo("zvh.person");
    assertThat(entry.getCovenantId()).isEqualTo(questions.covenant().id());
    assertThat(entry.getTraceId()).isEqualTo(q.getTraceId());
    assertThat(entry.getSubjectType()).isEqualTo(SubjectType.PERSON);
    assertThat(entry.getSubjectPseudonym()).isEqualTo(politie.pseudonym(KNOWN));
    assertThat(entry.getRejected()).isEmpty();
    // Never a citizen identifier, never the asker's bearer token.
    String raw = new String(politie.node.nodeLog().entry(0), StandardCharsets.ISO_8859_1);
    assertThat(raw).doesNotContain(KNOWN.canonical()).doesNotContain(q.getAskerCredential().getToken());
  }

  @Test
  void logsARefusalWithItsReasonAndAnswerHash() throws Exception {
    Question q = withCredential(questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld")
        .setPurpose("nieuwsgierigheid"));

    Envelope reply = politie.stub().ask(politie.signed(q.toByteString()));

    NodeLogEntry entry = onlyEntry();
    assertThat(Answer.parseFrom(reply.getPayload()).getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(entry.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(entry.getRefusalReason()).isEqualTo(Answer.parseFrom(reply.getPayload()).getRefusalReason())
        .isNotEmpty();
    assertThat(entry.getPurpose()).isEqualTo("nieuwsgierigheid");
    assertThat(entry.getAnswerHash()).isEqualTo(sha256(reply.toByteArray()));
  }

  @Test
  void logsAReleasedCountAsTheAskerSawIt() throws Exception {
    Envelope reply = politie.stub().ask(politie.signed(withCredential(questions.r2(politie.pseudonym(KNOWN)))
        .toByteString()));

    Answer answer = Answer.parseFrom(reply.getPayload());
    NodeLogEntry entry = onlyEntry();
    assertThat(answer.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    assertThat(entry.getCountDisplay()).isEqualTo(answer.getCount().getDisplay()).isNotEmpty();
    assertThat(entry.getRuleId()).isEqualTo("R2");
  }

  @Test
  void logsAnUnsignedEnvelopeAsRejectedWithoutReadingIt() throws Exception {
    Question q = withCredential(questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld"));
    Envelope unsigned = Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION).setPayload(q.toByteString())
        .build();

    assertThatThrownBy(() -> politie.stub().ask(unsigned))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

    NodeLogEntry entry = onlyEntry();
    assertThat(entry.getRejected()).startsWith("UNAUTHENTICATED: ")
        .contains("not signed by the gateway's certified key");
    assertThat(entry.getQuestionHash()).isEqualTo(sha256(q.toByteArray()));
    assertThat(entry.getQuestionId()).isEmpty();
    assertThat(entry.getSubjectPseudonym()).isEmpty();
    assertThat(entry.getAnswerHash()).isEmpty();
  }

  @Test
  void logsAnEnvelopeOfAnotherTypeAsRejectedWithoutEchoingIt() {
    Envelope other = Envelope.newBuilder().setPayloadType("text/plain; 999990019").build();

    assertThatThrownBy(() -> politie.stub().ask(other)).isInstanceOf(StatusRuntimeException.class);

    assertThat(onlyEntry().getRejected()).startsWith("INVALID_ARGUMENT: payload_type is not")
        .doesNotContain("999990019");
  }

  @Test
  void logSurvivesARestartAndVerifiesAgainstTheNodesSignedCheckpoints() throws Exception {
    politie.ask(questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld"));
    politie.ask(questions.r2(politie.pseudonym(KNOWN)));
    String before = politie.node.nodeLog().checkpoint().orElseThrow();
    politie.close();

    politie = startPolitie();
    politie.ask(questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld"));
    String after = politie.node.nodeLog().checkpoint().orElseThrow();

    // Anyone with politie's signing certificate can check the log, with no word of the node's.
    PartyCredentials credentials = TestPki.in(dir).credentials("politie");
    CheckpointVerifier verifier = new CheckpointVerifier(
        NoteKey.of("schakel/node/politie", credentials.signingKey().verifyingKey()));
    LogAudit.Report report = LogAudit.audit(stateDir.resolve(NodeLog.DIR), verifier,
        List.of(new LogAudit.Source("before restart", before), new LogAudit.Source("after restart", after)));
    assertThat(report.problems()).isEmpty();
    assertThat(report.entries()).isEqualTo(3);
    assertThat(report.matched()).extracting(m -> m.checkpoint().size()).containsExactly(2L, 3L);
    assertThat(NodeLogEntry.parseFrom(politie.node.nodeLog().entry(1)).getRuleId()).isEqualTo("R2");
  }

  @Test
  void answersUnavailableAndNothingElseWhenItsLogCannotBeWritten() throws Exception {
    politie.node.nodeLog().close();
    long received = politie.node.questionsReceived();

    assertThatThrownBy(() -> politie.ask(questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).isEqualTo("the node's audit log cannot be written");
        });
    assertThat(politie.node.questionsReceived()).isEqualTo(received + 1);
    assertThat(politie.stub().health(HealthRequest.getDefaultInstance()).getState())
        .isEqualTo(HealthStatus.State.NOT_SERVING);
  }

  @Test
  void logsEveryQuestionOnceInTheOrderAnswered() throws Exception {
    List<ByteString> hashes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Envelope reply = politie.stub().ask(politie.signed(withCredential(
          questions.r1("politie", politie.pseudonym(KNOWN), "incident.huiselijk-geweld")).toByteString()));
      hashes.add(sha256(reply.toByteArray()));
    }

    List<ByteString> logged = new ArrayList<>();
    for (long i = 0; i < politie.node.nodeLog().size(); i++) {
      logged.add(NodeLogEntry.parseFrom(politie.node.nodeLog().entry(i)).getAnswerHash());
    }
    assertThat(logged).containsExactlyElementsOf(hashes);
  }

  private Question withCredential(Question.Builder q) {
    return q.setAskerCredential(politie.credentialOf(q)).build();
  }

  private NodeLogEntry onlyEntry() {
    NodeLog log = politie.node.nodeLog();
    assertThat(log.size()).as("entries in the node's log").isEqualTo(1);
    try {
      return NodeLogEntry.parseFrom(log.entry(0));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static ByteString sha256(byte[] bytes) throws Exception {
    return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
