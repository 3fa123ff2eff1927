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
import java.time.Clock;
import nl.schakel.proto.v1.CosignRequest;
import nl.schakel.proto.v1.CosignResponse;
import nl.schakel.proto.v1.NodeLogEntry;
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
 * tell "refused" from "unavailable" (principle 4). Either way the envelope is in the node's own
 * log ({@link NodeLog}) before the reply leaves; a node that cannot log answers UNAVAILABLE. And
 * the node witnesses the gateway's log ({@link Witness}).
 */
final class NodeGrpcService extends NodeServiceGrpc.NodeServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(NodeGrpcService.class);
  /** What the gateway reads when this node's log fails: no answer, and why. */
  static final String LOG_UNWRITABLE = "the node's audit log cannot be written";
  /** A question is a few hundred bytes; anything this large is not one. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private final String party;
  private final Supplier<RecordIndex> index;
  private final CovenantCopies covenants;
  private final AnswerComputer answers;
  private final java.util.concurrent.atomic.AtomicLong questions = new java.util.concurrent.atomic.AtomicLong();

  private final VerifyingKey gatewayKey;
  private final SigningKey signingKey;
  private final Clock clock;
  private final NodeLog nodeLog;
  private final Witness witness;
  private volatile Supplier<Optional<String>> refreshProblem = Optional::empty;

  /**
   * {@code gatewayKey}: the only key questions may be signed with; {@code signingKey}: this party's
   * certified key, which signs every answer; {@code nodeLog}: where every question is logged before
   * it is answered; {@code witness}: this node's witness of the gateway's log.
   */
  NodeGrpcService(String party, Supplier<RecordIndex> index, CovenantCopies covenants, AnswerComputer answers,
      VerifyingKey gatewayKey, SigningKey signingKey, Clock clock, NodeLog nodeLog, Witness witness) {
    this.clock = clock;
    this.nodeLog = nodeLog;
    this.witness = witness;
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
    // Every envelope that reaches the service is logged, read or not (principle 5); what cannot be
    // read is logged by the hash of its payload only.
    ByteString questionHash = sha256(request.getPayload());
    if (!PayloadTypes.QUESTION.equals(request.getPayloadType())) {
      reject(response, questionHash, Status.INVALID_ARGUMENT,
          "payload_type must be " + PayloadTypes.QUESTION + ", found '" + request.getPayloadType() + "'",
          "payload_type is not " + PayloadTypes.QUESTION);
      return;
    }
    if (request.getPayload().size() > MAX_PAYLOAD_BYTES) {
      reject(response, questionHash, Status.INVALID_ARGUMENT,
          "question payload is " + request.getPayload().size() + " bytes, at most " + MAX_PAYLOAD_BYTES,
          "question payload is " + request.getPayload().size() + " bytes, at most " + MAX_PAYLOAD_BYTES);
      return;
    }
    // The signature is checked before a single byte of the payload is parsed: a forged question
    // must never reach the parser. Unsigned or forged is not refused with a signed answer: there
    // is nobody trustworthy to answer.
    try {
      verifySignedByGateway(request);
    } catch (InvalidSignatureException | IllegalArgumentException e) {
      log.warn("party={} refused a question without a valid gateway signature", party);
      reject(response, questionHash, Status.UNAUTHENTICATED,
          "question is not signed by the gateway's certified key: " + e.getMessage(),
          "question is not signed by the gateway's certified key");
      return;
    }
    Question question;
    try {
      question = Question.parseFrom(request.getPayload());
    } catch (InvalidProtocolBufferException e) {
      reject(response, questionHash, Status.INVALID_ARGUMENT, "payload is not a schakel.v1.Question",
          "payload is not a schakel.v1.Question");
      return;
    }
    AnswerComputer.Computed computed = answers.compute(question, questionHash);
    Answer answer = computed.answer();
    // Pseudonyms and outcomes only: the node's log never holds a citizen identifier.
    // The question's own fields are the gateway's text, not yet checked: no control characters
    // (a forged log line) and no megabyte in the log.
    log.info("party={} question={} trace={} purpose={} outcome={}{}", party, Witness.printable(question.getQuestionId()),
        Witness.printable(question.getTraceId()), Witness.printable(question.getPurpose()), answer.getOutcome(),
        answer.getRefusalReason().isEmpty() ? "" : " reason=" + answer.getRefusalReason());
    // Signed over the exact bytes sent, so the gateway and anyone after it can check them with this
    // party's certificate alone (DSSE, API.md "envelope").
    ByteString payload = answer.toByteString();
    DsseSignature signature = DsseSigner.sign(signingKey, PayloadTypes.ANSWER, payload.toByteArray());
    Envelope reply = Envelope.newBuilder()
        .setPayloadType(PayloadTypes.ANSWER)
        .setPayload(payload)
        .addSignatures(Signature.newBuilder().setKeyid(signature.keyId().value())
            .setSig(ByteString.copyFrom(signature.sig())))
        .build();
    // The hash of the envelope exactly as serialised on the wire: the gateway logs sha256 of the
    // bytes it receives, so the two logs can be matched entry by entry.
    ByteString answerHash = sha256(reply.toByteString());
    NodeLogEntry.Builder entry = NodeLog.answered(party, question, questionHash, answer, answerHash).toBuilder()
        .addAllFlags(computed.flags());
    computed.approverPerson().ifPresent(entry::setApproverPerson);
    afterLogging(response, entry.build(), () -> {
      response.onNext(reply);
      response.onCompleted();
    });
  }

  /**
   * Logs an envelope that gets no answer, then fails the call with {@code status}: {@code
   * description} for the caller, {@code logged} (the node's own words, no echo of the envelope)
   * for the log.
   */
  private void reject(StreamObserver<Envelope> response, ByteString questionHash, Status status, String description,
      String logged) {
    afterLogging(response, NodeLog.rejected(clock.millis(), questionHash, status.getCode(), logged),
        () -> response.onError(status.withDescription(description).asRuntimeException()));
  }

  /**
   * Runs {@code reply} once {@code entry} is durable; when it cannot be, the call fails UNAVAILABLE
   * and nothing else is sent (principle 5: nothing is answered that is not logged). Composed on the
   * append's future, so no gRPC thread waits for the disk.
   */
  private void afterLogging(StreamObserver<?> response, NodeLogEntry entry, Runnable reply) {
    nodeLog.append(entry).whenComplete((appended, failure) -> {
      try {
        if (failure != null) {
          log.error("party={} cannot write its audit log, answering unavailable: {}", party, failure.toString());
          response.onError(Status.UNAVAILABLE.withDescription(LOG_UNWRITABLE).asRuntimeException());
        } else {
          reply.run();
        }
      } catch (RuntimeException e) {
        // The call was cancelled meanwhile; the entry stands, as the answer was signed.
        log.debug("party={} could not send a reply: {}", party, e.toString());
      }
    });
  }

  @Override
  public void cosign(CosignRequest request, StreamObserver<CosignResponse> response) {
    if (request.getConsistencyProofCount() > Witness.MAX_PROOF_HASHES) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("consistency proof has "
          + request.getConsistencyProofCount() + " hashes, at most " + Witness.MAX_PROOF_HASHES).asRuntimeException());
      return;
    }
    List<byte[]> proof = request.getConsistencyProofList().stream().map(ByteString::toByteArray).toList();
    CosignResponse reply;
    try {
      reply = witness.cosign(request.getOldSize(), proof, request.getCheckpoint());
    } catch (Witness.Refusal e) {
      response.onError(e.status().asRuntimeException());
      return;
    }
    response.onNext(reply);
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
    if (idx.declaresAreas()) {
      d.addIdentifierForms(nl.schakel.proto.v1.IdentifierForm.CBS_AREA_CODE);
    }
    covenants.all().forEach(c -> d.addCovenants(CovenantVersion.newBuilder()
        .setId(c.covenant().id()).setVersion(c.covenant().version()).setHash(c.hash())));
    response.onNext(d.build());
    response.onCompleted();
  }

  @Override
  public void health(HealthRequest request, StreamObserver<HealthStatus> response) {
    // A node that cannot log cannot answer (principle 5): not serving, whatever its index says.
    HealthStatus.Builder status = HealthStatus.newBuilder().setRecords(index.get().records());
    if (nodeLog.writable()) {
      // The old index still answers after a failed refresh: serving, but the operator must know.
      status.setState(HealthStatus.State.SERVING);
      refreshProblem.get().ifPresent(status::setDetail);
    } else {
      status.setState(HealthStatus.State.NOT_SERVING).setDetail(LOG_UNWRITABLE);
    }
    response.onNext(status.build());
    response.onCompleted();
  }

  /**
   * Names a failed last refresh in {@code Health}'s detail; set once by {@link Node} before serving
   * (a separate hook so the constructor stays as other features extend it).
   */
  void reportRefreshes(Supplier<RefreshStatus> status) {
    refreshProblem = () -> {
      RefreshStatus s = status.get();
      return s.lastError().map(why -> "last refresh of " + s.source() + " failed at " + s.lastAttempt() + ": " + why
          + "; answering from the index built " + s.indexBuiltAt() + " (" + s.records() + " records)");
    };
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
