package nl.schakel.node;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.Evaluator;
import nl.schakel.covenant.Question;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.ResponderRule;

/**
 * The node's own decision on a question, by its own copy of the convenant (principle 2). The
 * gateway's {@link ResponderRule} is only a claim: a Deny refuses whatever the gateway said, and an
 * Allow under another rule or answer kind than claimed refuses as {@code rule-mismatch}, since two
 * copies that disagree mean one of them is not what the parties signed.
 */
final class RuleCheck {
  // The claimed rule id is the gateway's input: repeated only when it has the shape of a rule id.
  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private RuleCheck() {}

  /**
   * The convenant question as the node sees it. Categories are the ones the gateway sent for this
   * party; the evaluator itself restricts them to what the rule allows. The roles are the ones
   * {@link CredentialCheck} established, not the list the gateway sent.
   */
  static Question question(nl.schakel.proto.v1.Question q, ResponderRule claimed, AskedSubject subject,
      Set<String> roles) {
    return new Question(
        q.getAskerParty(),
        new LinkedHashSet<>(roles),
        q.getPurpose(),
        q.getCaseReference().isEmpty() ? Optional.empty() : Optional.of(q.getCaseReference()),
        subject.type(),
        subject.areaLevel(),
        new LinkedHashSet<>(claimed.getCategoriesList()));
  }

  static Decision.Allow allow(Evaluator evaluator, Question question, String party, Instant issuedAt,
      ResponderRule claimed) throws Refused {
    Decision d = evaluator.decide(question, party, issuedAt);
    if (d instanceof Decision.Deny deny) {
      throw new Refused(deny.reason().code(), deny.text());
    }
    Decision.Allow allow = (Decision.Allow) d;
    AnswerKind own = WireForms.answerKind(allow.answer());
    if (!allow.ruleId().equals(claimed.getRuleId()) || own != claimed.getAnswerKind()) {
      throw new Refused("rule-mismatch", "the gateway cites rule '" + echo(claimed.getRuleId()) + "' answered as "
          + claimed.getAnswerKind().name().toLowerCase(Locale.ROOT).replace('_', '-') + ", but "
          + party + "'s copy of convenant " + evaluator.covenant().label() + " allows this question under rule "
          + allow.ruleId() + " answered as " + allow.answer().yamlName());
    }
    return allow;
  }

  private static String echo(String ruleId) {
    return RULE_ID.matcher(ruleId).matches() ? ruleId : "(not a rule id)";
  }
}
