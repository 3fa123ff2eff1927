package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.Signature;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node answers only questions the gateway signed, each once, within the freshness window, and
 * none issued before it started (ARCHITECTURE.md "Replay"), over real mTLS gRPC.
 */
class SignedQuestionTest {
  static final Bsn KNOWN = Bsn.parse("999990019");

  @TempDir
  Path dir;
  final MovingClock clock = new MovingClock(TestNode.NOW);
  TestNode politie;
  Questions questions;

  @BeforeEach
  void start() throws Exception {
    politie = TestNode.start(dir, "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n",
        List.of(TestNode.DEMO), clock);
    questions = Questions.demo();
  }

  @AfterEach
  void stop() {
    politie.close();
  }

  private static Status.Code codeOf(Throwable t) {
    return ((StatusRuntimeException) t).getStatus().getCode();
  }

  @Test
  void answersAQuestionSignedByTheGateway() throws Exception {
    assertThat(politie.ask(questions.r1("politie", politie.pseudonym(KNOWN))).getOutcome()).isEqualTo(Outcome.HIT);
  }

  @Test
  void refusesAnUnsignedQuestionAsUnauthenticated() {
    Envelope unsigned = Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION)
        .setPayload(questions.r1("politie", politie.pseudonym(KNOWN)).build().toByteString()).build();

    assertThatThrownBy(() -> politie.stub().ask(unsigned))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.UNAUTHENTICATED))
        .hasMessageContaining("not signed by the gateway's certified key");
  }

  @Test
  void refusesAQuestionSignedByAnotherPartysCertifiedKey() throws Exception {
    ByteString payload = questions.r1("politie", politie.pseudonym(KNOWN)).build().toByteString();
    DsseSignature sig = DsseSigner.sign(TestPki.in(dir).credentials("riec").signingKey(), PayloadTypes.QUESTION,
        payload.toByteArray());
    Envelope forged = Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION).setPayload(payload)
        .addSignatures(Signature.newBuilder().setKeyid(sig.keyId().value()).setSig(ByteString.copyFrom(sig.sig())))
        .build();

    assertThatThrownBy(() -> politie.stub().ask(forged))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void refusesASignedQuestionWhosePayloadWasChangedAfterSigning() {
    Envelope signed = politie.signed(questions.r1("politie", politie.pseudonym(KNOWN)).build().toByteString());
    Envelope tampered = signed.toBuilder()
        .setPayload(questions.r1("politie", politie.pseudonym(KNOWN)).setPurpose("other").build().toByteString())
        .build();

    assertThatThrownBy(() -> politie.stub().ask(tampered))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void refusesTheSameSignedQuestionTheSecondTimeAsReplayed() throws Exception {
    Question q = questions.r1("politie", politie.pseudonym(KNOWN)).build();
    assertThat(politie.ask(q).getOutcome()).isEqualTo(Outcome.HIT);
    clock.advance(Duration.ofSeconds(10));

    Answer again = politie.ask(q);

    assertThat(again.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(again.getRefusalReason()).isEqualTo("question-replayed");
  }

  @Test
  void refusesAFreshQuestionIssuedBeforeTheNodeStarted() throws Exception {
    // Issued 10 s before the start: within the window, but the replay memory did not exist yet.
    Answer a = politie.ask(questions.r1("politie", politie.pseudonym(KNOWN))
        .setIssuedAtEpochMs(TestNode.NOW.minusSeconds(10).toEpochMilli()));

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("question-before-node-start");
  }

  @Test
  void refusesAQuestionOlderThanTheFreshnessWindowPlusSkew() throws Exception {
    Question.Builder q = questions.r1("politie", politie.pseudonym(KNOWN))
        .setExpiresAtEpochMs(TestNode.NOW.plusSeconds(300).toEpochMilli());
    clock.advance(NodeConfig.DEFAULT_FRESHNESS.plus(Freshness.CLOCK_SKEW).plusSeconds(1));

    Answer a = politie.ask(q);

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("question-expired");
  }

  @Test
  void signsEveryAnswerRefusalsIncludedWithItsCertifiedKey() throws Exception {
    var trust = nl.schakel.trust.pki.FederationTrust.load(TestPki.in(dir).caCert());
    var key = trust.certifiedSigningKey(TestPki.in(dir).credentials("politie").signingCertificate(), "politie",
        TestNode.NOW);
    Question hit = questions.r1("politie", politie.pseudonym(KNOWN)).build();
    Question refused = questions.r1("politie", politie.pseudonym(KNOWN)).setPurpose("no-such-purpose").build();

    for (Question q : List.of(hit, refused)) {
      Envelope reply = politie.stub().ask(politie.signed(q.toByteString()));
      List<DsseSignature> sigs = reply.getSignaturesList().stream()
          .map(s -> new DsseSignature(nl.schakel.trust.sign.KeyId.parse(s.getKeyid()), s.getSig().toByteArray()))
          .toList();
      var verified = nl.schakel.trust.sign.DsseVerifier.verify(PayloadTypes.ANSWER, reply.getPayload().toByteArray(),
          sigs, id -> id.equals(key.keyId()) ? java.util.Optional.of(key) : java.util.Optional.empty());
      assertThat(Answer.parseFrom(verified.payload()).getParty()).isEqualTo("politie");
    }
  }

  /** A clock the test moves forward. */
  static final class MovingClock extends Clock {
    private volatile Instant now;

    MovingClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
