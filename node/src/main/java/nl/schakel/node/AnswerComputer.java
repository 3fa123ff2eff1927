package nl.schakel.node;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.DenyReason;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.ResponderRule;

/**
 * Turns a question into this node's answer: hit / no-hit for a subject, or a disclosure-controlled
 * count. Everything the node may say is built here, so there is one place to check that an answer
 * never carries more than an outcome and a released count (principle 1).
 *
 * <p>The checks run in this order, the first failure being the refusal: addressed to this node →
 * fresh by the node's clock, not a replay, not issued before the node started → the asker's
 * credential verified by the node itself (before any convenant is consulted) → the cited convenant
 * is held, identical and not superseded → the question is well formed → the node's own convenant
 * decision, with the roles the credential vouches for → the gateway's claimed rule agrees → a
 * four-eyes rule's approval (approver credential, another person, allowed under the rule) → the
 * node indexes the identifier form. Only then are records read, so every refusal is a
 * function of the question alone (principle 3).
 *
 * <p>Two operator and admission steps sit in between: right after freshness, the operator's
 * {@link SuspendSwitch} (so a suspension stops answering at once, before any credential or
 * convenant work); and last before the records are read, the convenant's budgets ({@link
 * NodeBudgets}), so only a question the node would answer is charged. Answered questions about an
 * identified subject are then shown to the {@link BurstWatch}.
 */
final class AnswerComputer {
  private final String party;
  private final Supplier<RecordIndex> index;
  private final Clock clock;
  private final Freshness freshness;
  private final CovenantCheck covenants;
  private final CredentialCheck credentials;
  private final SuspendSwitch suspend;
  private final NodeBudgets budgets;
  private final BurstWatch burst;

  /**
   * The answer with what only the node's log needs: the verified approver of a four-eyes question
   * and the flags for the node's auditor ({@link BurstWatch#FLAG}).
   */
  record Computed(Answer answer, Optional<String> approverPerson, List<String> flags) {
    Computed {
      flags = List.copyOf(flags);
    }
  }

  AnswerComputer(String party, Supplier<RecordIndex> index, CovenantCopies copies, Clock clock, Freshness freshness,
      CredentialCheck credentials, SuspendSwitch suspend, NodeBudgets budgets, BurstWatch burst) {
    this.suspend = suspend;
    this.budgets = budgets;
    this.burst = burst;
    this.party = party;
    this.index = index;
    this.clock = clock;
    this.freshness = freshness;
    this.covenants = new CovenantCheck(party, copies);
    this.credentials = credentials;
  }

  Answer answer(Question q, ByteString questionHash) {
    return compute(q, questionHash).answer();
  }

  Computed compute(Question q, ByteString questionHash) {
    Answer.Builder a = Answer.newBuilder()
        .setQuestionId(q.getQuestionId())
        .setQuestionHash(questionHash)
        .setParty(party)
        .setAnsweredAtEpochMs(clock.millis());
    try {
      ResponderRule claimed = addressed(q);
      a.setRuleId(claimed.getRuleId());
      freshness.check(q);
      suspend.check(q.getPurpose(), q.getAskerParty());
      CredentialCheck.Asker asker = credentials.asker(q);
      // The convenant is applied as of the issue instant, which Freshness has bounded to the node's clock.
      Instant issuedAt = Instant.ofEpochMilli(q.getIssuedAtEpochMs());
      CovenantCopies.Copy copy = covenants.check(q, issuedAt);
      // The signed answer names the text it was decided under, so it can be checked later.
      a.setCovenantHash(copy.hash());
      AskedSubject subject = AskedSubject.from(q.getSubject());
      Decision.Allow allow = RuleCheck.allow(copy.evaluator(), RuleCheck.question(q, claimed, subject, asker.roles()),
          party, issuedAt, claimed);
      Optional<String> approver = credentials.checkApproval(q, asker, copy.evaluator(), subject, issuedAt, allow)
          .map(nl.schakel.trust.jwt.VerifiedCredential::person);
      RecordIndex idx = index.get();
      checkIndexed(subject, idx);
      // Charged at the answer's own time, the time its log entry carries, so replay after a
      // restart rebuilds exactly these counters.
      Instant answeredAt = Instant.ofEpochMilli(a.getAnsweredAtEpochMs());
      budgets.charge(copy.label(), copy.covenant().id(), copy.covenant().limits(), q.getPurpose(), q.getAskerParty(),
          q.getAskerPerson(), answeredAt);
      Answer answer = answer(a, subject, allow, Lookback.of(allow.lookback(), issuedAt), idx);
      boolean bursting = subject instanceof AskedSubject.Identified
          && burst.observe(q.getAskerParty(), q.getAskerPerson(), q.getSubject().getPseudonym(), answeredAt);
      return new Computed(answer, approver, bursting ? List.of(BurstWatch.FLAG) : List.of());
    } catch (Refused r) {
      return new Computed(a.setOutcome(Outcome.REFUSED).setRefusalReason(r.code()).setRefusalDetail(r.detail()).build(),
          Optional.empty(), List.of());
    }
  }

  private ResponderRule addressed(Question q) throws Refused {
    return q.getRespondersList().stream()
        .filter(r -> r.getParty().equals(party))
        .findFirst()
        .orElseThrow(() -> new Refused("not-addressed", "The question does not name " + party + " as a responder"));
  }

  /** Principle 4: a form this node does not index can only be refused, never answered no-hit. */
  private void checkIndexed(AskedSubject subject, RecordIndex idx) throws Refused {
    if (subject instanceof AskedSubject.Identified id && !idx.identifierForms().contains(id.form())) {
      throw new Refused(DenyReason.IDENTIFIER_FORM_UNSUPPORTED.code(),
          party + " does not index subjects identified by " + id.form().name().toLowerCase(Locale.ROOT));
    }
    if (subject instanceof AskedSubject.Area && !idx.answersAreas()) {
      throw new Refused(DenyReason.IDENTIFIER_FORM_UNSUPPORTED.code(),
          party + " does not answer questions about areas (cbs-area-code is not among its identifier-forms)");
    }
  }

  /**
   * Reads the records. Only the node's own Allow decides what counts: its categories (never the
   * list the gateway sent) and its rule's lookback.
   */
  private static Answer answer(Answer.Builder a, AskedSubject subject, Decision.Allow allow, Lookback lookback,
      RecordIndex idx) {
    Set<String> categories = allow.categories();
    Tally tally = subject instanceof AskedSubject.Identified id
        ? idx.tallySubject(id.pseudonym(), categories, lookback)
        : idx.tallyArea(((AskedSubject.Area) subject).code(), categories, lookback);
    a.setRuleId(allow.ruleId());
    return switch (allow.answer()) {
      case HIT_PER_PARTY, HIT_ANY -> a.setOutcome(tally.count() > 0 ? Outcome.HIT : Outcome.NO_HIT).build();
      case COUNT -> a.setOutcome(Outcome.COUNT_RESULT).setCount(CountDisclosure.release(tally, allow.disclosure())).build();
    };
  }
}
