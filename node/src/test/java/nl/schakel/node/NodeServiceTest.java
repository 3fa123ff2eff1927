package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.DescribeRequest;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.IdentifierForm;
import nl.schakel.proto.v1.NodeDescription;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.ResponderRule;
import nl.schakel.proto.v1.Subject;
import nl.schakel.proto.v1.SubjectType;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node over real gRPC on loopback: what it answers, and what it refuses to. */
class NodeServiceTest {
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  @TempDir
  Path dir;
  Node node;
  ManagedChannel channel;
  NodeServiceGrpc.NodeServiceBlockingStub stub;
  HmacPseudonymiser pseudonymiser;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("matching.key");
    PseudonymKey.generate(new SecureRandom()).writeTo(key);
    pseudonymiser = HmacPseudonymiser.create(PseudonymKey.readFrom(key), Node.MATCHING);
    Path csv = dir.resolve("politie.csv");
    Files.writeString(csv, """
        subject_type,identifier,category,date,area
        person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
        person,999990019,incident.huiselijk-geweld,2024-03-01,BU03440101
        organisation,12345678,signaal.ondermijning,2026-02-02,BU03440102
        """);
    node = Node.start(new NodeConfig("politie", new NodeConfig.Listen("127.0.0.1", 0), new NodeConfig.Source(csv), key,
        List.of()), Clock.fixed(NOW, ZoneOffset.UTC));
    channel = NettyChannelBuilder.forTarget(node.address()).usePlaintext().build();
    stub = NodeServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    node.close();
  }

  Question.Builder question(String bsn, AnswerKind kind) {
    return Question.newBuilder()
        .setQuestionId("q-1")
        .setIssuedAtEpochMs(NOW.toEpochMilli())
        .setExpiresAtEpochMs(NOW.plusSeconds(30).toEpochMilli())
        .setSubject(Subject.newBuilder().setType(SubjectType.PERSON).setForm(IdentifierForm.BSN)
            .setPseudonym(ByteString.copyFrom(pseudonymiser.pseudonymise(Bsn.parse(bsn)).bytes())))
        .addResponders(ResponderRule.newBuilder().setParty("politie").setRuleId("R1").setAnswerKind(kind));
  }

  Answer ask(Question q) throws Exception {
    Envelope reply = stub.ask(Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION).setPayload(q.toByteString()).build());
    assertThat(reply.getPayloadType()).isEqualTo(PayloadTypes.ANSWER);
    return Answer.parseFrom(reply.getPayload());
  }

  @Test
  void answersHitForAKnownPersonAndNoHitForAnUnknownOne() throws Exception {
    Answer hit = ask(question("999990019", AnswerKind.HIT_PER_PARTY).build());
    Answer noHit = ask(question("999990032", AnswerKind.HIT_PER_PARTY).build());

    assertThat(hit.getOutcome()).isEqualTo(Outcome.HIT);
    assertThat(hit.getQuestionId()).isEqualTo("q-1");
    assertThat(hit.getParty()).isEqualTo("politie");
    assertThat(hit.getRuleId()).isEqualTo("R1");
    assertThat(hit.getQuestionHash().size()).isEqualTo(32);
    assertThat(noHit.getOutcome()).isEqualTo(Outcome.NO_HIT);
  }

  @Test
  void onlyCountsTheCategoriesTheQuestionNames() throws Exception {
    Question q = question("999990019", AnswerKind.HIT_PER_PARTY)
        .setResponders(0, ResponderRule.newBuilder().setParty("politie").setRuleId("R1")
            .setAnswerKind(AnswerKind.HIT_PER_PARTY).addCategories("incident.drugs"))
        .build();

    assertThat(ask(q).getOutcome()).isEqualTo(Outcome.NO_HIT);
  }

  @Test
  void neverReleasesASmallCount() throws Exception {
    Answer count = ask(question("999990019", AnswerKind.COUNT).build());

    assertThat(count.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    assertThat(count.getCount().hasValue()).isFalse();
    assertThat(count.getCount().getDisplay()).isEqualTo("<5");
  }

  @Test
  void refusesAQuestionThatDoesNotNameIt() throws Exception {
    Question q = question("999990019", AnswerKind.HIT_PER_PARTY)
        .setResponders(0, ResponderRule.newBuilder().setParty("veilig-thuis").setRuleId("R1")
            .setAnswerKind(AnswerKind.HIT_PER_PARTY)).build();

    Answer a = ask(q);
    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("not-addressed");
  }

  @Test
  void refusesAnExpiredQuestion() throws Exception {
    Answer a = ask(question("999990019", AnswerKind.HIT_PER_PARTY).setExpiresAtEpochMs(NOW.minusSeconds(1).toEpochMilli()).build());

    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("question-expired");
  }

  @Test
  void refusesAnIdentifierFormItDoesNotIndexInsteadOfSayingNoHit() throws Exception {
    Question q = question("999990019", AnswerKind.HIT_PER_PARTY)
        .setSubject(Subject.newBuilder().setType(SubjectType.ADDRESS).setForm(IdentifierForm.BAG_ID)
            .setPseudonym(ByteString.copyFrom(new byte[32])))
        .build();

    Answer a = ask(q);
    assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).isEqualTo("identifier-form-unsupported");
  }

  @Test
  void rejectsAnEnvelopeThatIsNotAQuestion() {
    assertThatThrownBy(() -> stub.ask(Envelope.newBuilder().setPayloadType("text/plain")
        .setPayload(ByteString.copyFromUtf8("hello")).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> stub.ask(Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION)
        .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x01})).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void describesItsCategoriesAndIdentifierForms() {
    NodeDescription d = stub.describe(DescribeRequest.getDefaultInstance());

    assertThat(d.getParty()).isEqualTo("politie");
    assertThat(d.getRecordCount()).isEqualTo(3);
    assertThat(d.getIdentifierFormsList()).containsExactly(IdentifierForm.BSN, IdentifierForm.KVK);
    assertThat(d.getCategoriesList()).extracting(c -> c.getCategory())
        .containsExactly("incident.huiselijk-geweld", "signaal.ondermijning");
  }

}
