package nl.schakel.node;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.ResponderRule;
import nl.schakel.proto.v1.Subject;
import nl.schakel.proto.v1.SubjectType;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.InvalidIdentifierException;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * Turns a question into this node's answer: hit / no-hit for a subject, or a disclosure-controlled
 * count. Everything the node may say is built here, so there is one place to check that an answer
 * never carries more than an outcome and a released count (principle 1).
 */
final class AnswerComputer {
  private final String party;
  private final Supplier<RecordIndex> index;
  private final Clock clock;

  AnswerComputer(String party, Supplier<RecordIndex> index, Clock clock) {
    this.party = party;
    this.index = index;
    this.clock = clock;
  }

  Answer answer(Question q, ByteString questionHash) {
    Answer.Builder a = Answer.newBuilder()
        .setQuestionId(q.getQuestionId())
        .setQuestionHash(questionHash)
        .setParty(party)
        .setAnsweredAtEpochMs(clock.millis());
    ResponderRule rule = q.getRespondersList().stream()
        .filter(r -> r.getParty().equals(party))
        .findFirst()
        .orElse(null);
    if (rule == null) {
      return refuse(a, "not-addressed", "The question does not name " + party + " as a responder");
    }
    a.setRuleId(rule.getRuleId());
    if (q.getExpiresAtEpochMs() <= clock.millis()) {
      return refuse(a, "question-expired", "The question expired before it reached " + party);
    }
    Set<String> categories = Set.copyOf(rule.getCategoriesList());
    Predicate<Mention> filter = categories.isEmpty() ? m -> true : m -> categories.contains(m.category());
    Subject s = q.getSubject();
    RecordIndex idx = index.get();
    long raw;
    if (s.getType() == SubjectType.AREA) {
      AreaCode area;
      try {
        area = AreaCode.parse(s.getAreaCode());
      } catch (InvalidIdentifierException e) {
        return refuse(a, "malformed-question", "area: " + e.getMessage());
      }
      if (rule.getAnswerKind() != AnswerKind.COUNT) {
        return refuse(a, "malformed-question", "an area can only be counted");
      }
      raw = idx.countArea(area, filter);
    } else {
      if (s.getPseudonym().size() != 32) {
        return refuse(a, "malformed-question", "subject pseudonym must be 32 bytes");
      }
      // Principle 4: a form this node does not index can only be refused, never answered no-hit.
      if (!idx.identifierForms().contains(WireForms.fromWire(s.getForm()).orElse(null))) {
        return refuse(a, "identifier-form-unsupported",
            party + " does not index subjects identified by " + s.getForm().name().toLowerCase(java.util.Locale.ROOT));
      }
      raw = idx.countSubject(Pseudonym.of(s.getPseudonym().toByteArray()), filter);
    }
    return switch (rule.getAnswerKind()) {
      case HIT_PER_PARTY, HIT_ANY -> a.setOutcome(raw > 0 ? Outcome.HIT : Outcome.NO_HIT).build();
      case COUNT -> a.setOutcome(Outcome.COUNT_RESULT).setCount(CountRelease.release(raw)).build();
      case ANSWER_KIND_UNSPECIFIED, UNRECOGNIZED ->
          refuse(a, "malformed-question", "the question names no answer kind for " + party);
    };
  }

  private static Answer refuse(Answer.Builder a, String reason, String detail) {
    return a.setOutcome(Outcome.REFUSED).setRefusalReason(reason).setRefusalDetail(detail).build();
  }
}
