package nl.schakel.node;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.ResponderRule;
import nl.schakel.trust.sign.SigningKey;

/**
 * The node's own audit log (principle 5 at the node): one {@link NodeLogEntry} per question
 * received, answered, refused or rejected unread, appended durably before any answer leaves. It is
 * a {@link FileAuditLog} in {@code <state-dir>/audit-log}, its checkpoints signed with the node's
 * certified signing key under origin {@code schakel/node/<party>}, so the partner's own auditor can
 * verify it with {@code schakel audit verify} and cross-check it against the gateway's log: every
 * question here must appear there with the same answer hash, and the reverse.
 *
 * <p>Entries hold what the question carried: the subject as the matching pseudonym (or an area
 * code), never a citizen identifier; asker tokens are never copied in.
 */
final class NodeLog implements AutoCloseable {
  /** The log's directory inside the state directory. */
  static final String DIR = "audit-log";

  private final FileAuditLog log;
  private final CheckpointSigner signer;
  private final ExecutorService replies;
  /** Entries made durable per outcome label of {@link NodeMetrics#OUTCOMES}: for metrics. */
  private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> outcomes =
      new java.util.concurrent.ConcurrentHashMap<>();

  private NodeLog(FileAuditLog log, CheckpointSigner signer, ExecutorService replies) {
    this.log = log;
    this.signer = signer;
    this.replies = replies;
  }

  /** The origin of the node's log and the name of its witness key. */
  static String origin(String party) {
    return "schakel/node/" + party;
  }

  /** Opens (creating or recovering) the log in {@code stateDir/audit-log}. */
  static NodeLog open(Path stateDir, String party, SigningKey key) throws IOException {
    CheckpointSigner signer = new CheckpointSigner(key, origin(party));
    // Replies are sent where appends complete: on threads of the node's own, so that nothing else
    // in the process (the common pool) can hold answers back.
    AtomicInteger threads = new AtomicInteger();
    ExecutorService replies = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "schakel-node-" + party + "-log-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      return new NodeLog(FileAuditLog.open(stateDir.resolve(DIR),
          FileAuditLog.Options.defaults().withCheckpointSigner(signer).withCompletionExecutor(replies)), signer,
          replies);
    } catch (IOException | RuntimeException e) {
      replies.shutdownNow();
      throw e;
    }
  }

  /**
   * Appends {@code entry}; the future completes once it is durable and fails when the log cannot
   * store it. Never blocks.
   */
  CompletableFuture<AppendResult> append(NodeLogEntry entry) {
    try {
      return log.append(entry.toByteArray()).whenComplete((appended, failure) -> {
        if (failure == null) {
          outcomes.computeIfAbsent(outcomeLabel(entry), k -> new java.util.concurrent.atomic.LongAdder()).increment();
        }
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Logged questions per outcome label (hit, no-hit, count, refused, rejected). */
  java.util.Map<String, Long> questionsByOutcome() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static String outcomeLabel(NodeLogEntry e) {
    if (!e.getRejected().isEmpty()) {
      return "rejected";
    }
    return switch (e.getOutcome()) {
      case HIT -> "hit";
      case NO_HIT -> "no-hit";
      case COUNT_RESULT -> "count";
      default -> "refused";
    };
  }

  /** The entry of a question that was read and answered (hit, no-hit, count or refused). */
  static NodeLogEntry answered(String party, Question q, ByteString questionHash, Answer answer,
      ByteString answerHash) {
    NodeLogEntry.Builder e = NodeLogEntry.newBuilder()
        .setTimeEpochMs(answer.getAnsweredAtEpochMs())
        .setQuestionId(q.getQuestionId())
        .setQuestionHash(questionHash)
        .setTraceId(q.getTraceId())
        .setAskerParty(q.getAskerParty())
        .setAskerPerson(q.getAskerPerson())
        .setPurpose(q.getPurpose())
        .setCaseReference(q.getCaseReference())
        .setCovenantId(q.getCovenantId())
        .setCovenantVersion(q.getCovenantVersion())
        .setRuleId(q.getRespondersList().stream().filter(r -> r.getParty().equals(party)).findFirst()
            .map(ResponderRule::getRuleId).orElse(""))
        .setSubjectType(q.getSubject().getType())
        .setSubjectForm(q.getSubject().getForm())
        .setSubjectPseudonym(q.getSubject().getPseudonym())
        .setAreaCode(q.getSubject().getAreaCode())
        .setOutcome(answer.getOutcome())
        .setRefusalReason(answer.getRefusalReason())
        .setAnswerHash(answerHash);
    if (answer.getOutcome() == Outcome.COUNT_RESULT) {
      e.setCountDisplay(answer.getCount().getDisplay());
    }
    return e.build();
  }

  /**
   * The entry of an envelope rejected before an answer could be signed: only its payload hash, as
   * the payload of an unsigned envelope is never parsed. {@code reason} is the node's own text,
   * never an echo of what the envelope carried.
   */
  static NodeLogEntry rejected(long timeEpochMs, ByteString questionHash, Status.Code code, String reason) {
    return NodeLogEntry.newBuilder()
        .setTimeEpochMs(timeEpochMs)
        .setQuestionHash(questionHash)
        .setRejected(code.name() + ": " + reason)
        .build();
  }

  /** The latest signed checkpoint of the log. */
  Optional<String> checkpoint() {
    return log.checkpoint();
  }

  /** The verifier key an auditor needs for this log's checkpoints. */
  String verifierKey() {
    return signer.verifierKey();
  }

  /** False after an I/O failure or {@link #close()}: then every question gets UNAVAILABLE. */
  boolean writable() {
    return log.writable();
  }

  long size() {
    return log.size();
  }

  byte[] entry(long index) {
    return log.entry(index);
  }

  /** Closes the log once appends in flight are durable or failed, then lets their replies go out. */
  @Override
  public void close() {
    log.close();
    replies.shutdown();
  }
}
