package nl.schakel.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.schakel.proto.v1.Signature;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseSigner;
import nl.schakel.trust.sign.DsseVerifier;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.VerifyingKey;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.function.Supplier;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.CategoryDescription;
import nl.schakel.proto.v1.CovenantVersion;
import nl.schakel.proto.v1.DescribeRequest;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.HealthRequest;
import nl.schakel.proto.v1.HealthStatus;
import nl.schakel.proto.v1.NodeDescription;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Question;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of the wire contract. Envelopes that cannot be read at all get a precise gRPC
 * status; anything readable gets an {@link Answer}, refusals included, so the gateway can always
 * tell "refused" from "unavailable" (principle 4).
 */
final class NodeGrpcService extends NodeServiceGrpc.NodeServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(NodeGrpcService.class);
  /** A question is a few hundred bytes; anything this large is not one. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private final String party;
  private final Supplier<RecordIndex> index;
  private final CovenantCopies covenants;
  private final AnswerComputer answers;
  private final java.util.concurrent.atomic.AtomicLong questions = new java.util.concurrent.atomic.AtomicLong();

  private final VerifyingKey gatewayKey;
  private final SigningKey signingKey;

  /**
   * {@code gatewayKey}: the only key questions may be signed with; {@code signingKey}: this party's
   * certified key, which signs every answer.
   */
  NodeGrpcService(String party, Supplier<RecordIndex> index, CovenantCopies covenants, AnswerComputer answers,
      VerifyingKey gatewayKey, SigningKey signingKey) {
    this.party = party;
    this.signingKey = signingKey;
    this.gatewayKey = gatewayKey;
    this.index = index;
    this.covenants = covenants;
    this.answers = answers;
  }

  @Override
  public void ask(Envelope request, StreamObserver<Envelope> response) {
    questions.incrementAndGet();
    if (!PayloadTypes.QUESTION.equals(request.getPayloadType())) {
      response.onError(Status.INVALID_ARGUMENT
          .withDescription("payload_type must be " + PayloadTypes.QUESTION + ", found '" + request.getPayloadType() + "'")
          .asRuntimeException());
      return;
    }
    if (request.getPayload().size() > MAX_PAYLOAD_BYTES) {
      response.onError(Status.INVALID_ARGUMENT
          .withDescription("question payload is " + request.getPayload().size() + " bytes, at most " + MAX_PAYLOAD_BYTES)
          .asRuntimeException());
      return;
    }
    // The signature is checked before a single byte of the payload is parsed: a forged question
    // must never reach the parser. Unsigned or forged is not refused with a signed answer: there
    // is nobody trustworthy to answer.
    try {
      verifySignedByGateway(request);
    } catch (InvalidSignatureException | IllegalArgumentException e) {
      log.warn("party={} refused a question without a valid gateway signature", party);
      response.onError(Status.UNAUTHENTICATED
          .withDescription("question is not signed by the gateway's certified key: " + e.getMessage())
          .asRuntimeException());
      return;
    }
    Question question;
    try {
      question = Question.parseFrom(request.getPayload());
    } catch (InvalidProtocolBufferException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("payload is not a schakel.v1.Question").asRuntimeException());
      return;
    }
    Answer answer = answers.answer(question, sha256(request.getPayload()));
    // Pseudonyms and outcomes only: the node's log never holds a citizen identifier.
    log.info("party={} question={} trace={} purpose={} outcome={}{}", party, question.getQuestionId(), question.getTraceId(),
        question.getPurpose(), answer.getOutcome(),
        answer.getRefusalReason().isEmpty() ? "" : " reason=" + answer.getRefusalReason());
    // Signed over the exact bytes sent, so the gateway and anyone after it can check them with this
    // party's certificate alone (DSSE, API.md "envelope").
    ByteString payload = answer.toByteString();
    DsseSignature signature = DsseSigner.sign(signingKey, PayloadTypes.ANSWER, payload.toByteArray());
    response.onNext(Envelope.newBuilder()
        .setPayloadType(PayloadTypes.ANSWER)
        .setPayload(payload)
        .addSignatures(Signature.newBuilder().setKeyid(signature.keyId().value())
            .setSig(ByteString.copyFrom(signature.sig())))
        .build());
    response.onCompleted();
  }

  private void verifySignedByGateway(Envelope request) throws InvalidSignatureException {
    List<DsseSignature> signatures = new ArrayList<>();
    for (Signature sig : request.getSignaturesList().subList(0,
        Math.min(request.getSignaturesCount(), DsseVerifier.MAX_SIGNATURES + 1))) {
      signatures.add(new DsseSignature(KeyId.parse(sig.getKeyid()), sig.getSig().toByteArray()));
    }
    DsseVerifier.verify(PayloadTypes.QUESTION, request.getPayload().toByteArray(), signatures,
        id -> id.equals(gatewayKey.keyId()) ? Optional.of(gatewayKey) : Optional.empty());
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<NodeDescription> response) {
    RecordIndex idx = index.get();
    NodeDescription.Builder d = NodeDescription.newBuilder().setParty(party).setRecordCount(idx.records())
        .setSigningKeyId(signingKey.keyId().value());
    idx.formsPerCategory().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        d.addCategories(CategoryDescription.newBuilder().setCategory(e.getKey())
            .addAllSubjects(e.getValue().stream().map(WireForms::subjectType).distinct().sorted().toList())));
    idx.identifierForms().stream().sorted().map(WireForms::toWire).forEach(d::addIdentifierForms);
    covenants.all().forEach(c -> d.addCovenants(CovenantVersion.newBuilder()
        .setId(c.covenant().id()).setVersion(c.covenant().version()).setHash(c.hash())));
    response.onNext(d.build());
    response.onCompleted();
  }

  @Override
  public void health(HealthRequest request, StreamObserver<HealthStatus> response) {
    response.onNext(HealthStatus.newBuilder()
        .setState(HealthStatus.State.SERVING)
        .setRecords(index.get().records())
        .build());
    response.onCompleted();
  }

  /** Questions received, readable or not: for metrics, and for tests proving nothing was asked. */
  long questionsReceived() {
    return questions.get();
  }

  static ByteString sha256(ByteString bytes) {
    try {
      return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
