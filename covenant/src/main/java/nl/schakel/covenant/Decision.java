package nl.schakel.covenant;

import java.time.Period;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The convenant's verdict on asking one responder one question: allow with how, or deny with why. */
public sealed interface Decision permits Decision.Allow, Decision.Deny {

  /** The responder this decision is about. */
  String party();

  /**
   * The responder may be asked (subject to admission: four-eyes and budgets).
   *
   * @param party the responder
   * @param answer how precise its answer may be
   * @param disclosure disclosure control for a count, if the rule has any
   * @param ruleId the rule that allows it
   * @param legalBasis the purpose's legal basis, in the convenant's words
   * @param categories the categories the answer covers: those requested that the responder
   *     holds, or all the rule allows from it; in the responder's declaration order
   * @param lookback only records within this period count, if the rule says so
   * @param fourEyes whether a second person must approve first
   */
  record Allow(
      String party,
      AnswerKind answer,
      Optional<Disclosure> disclosure,
      String ruleId,
      List<String> legalBasis,
      Set<String> categories,
      Optional<Period> lookback,
      boolean fourEyes)
      implements Decision {
    public Allow {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(answer, "answer");
      Objects.requireNonNull(disclosure, "disclosure");
      Objects.requireNonNull(ruleId, "ruleId");
      legalBasis = List.copyOf(legalBasis);
      categories = Ordered.set(categories);
      Objects.requireNonNull(lookback, "lookback");
    }
  }

  /**
   * The responder may not be asked.
   *
   * @param party the responder
   * @param reason the first check that failed
   * @param clause where in the convenant the reason lives, e.g. {@code "refusals[0]"}, {@code
   *     "parties.ggz.secrecy"}, {@code "rules"}
   * @param text for people: the convenant's own words where it has them (refusal reasons,
   *     secrecy), an English explanation otherwise; never an identifier or a raw case reference
   */
  record Deny(String party, DenyReason reason, String clause, String text) implements Decision {
    public Deny {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(clause, "clause");
      Objects.requireNonNull(text, "text");
    }
  }
}
