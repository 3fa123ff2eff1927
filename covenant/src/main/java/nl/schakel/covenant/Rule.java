package nl.schakel.covenant;

import java.time.Period;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One rule: which askers may ask which responders about which subject type, for which purpose,
 * and how precise the answer may be.
 *
 * @param id unique within the convenant, e.g. {@code R2}
 * @param purpose the purpose id
 * @param askers who may ask, in file order
 * @param responders which parties may answer, in file order
 * @param subject the subject type
 * @param categories which of the responders' categories the answer may cover
 * @param answer how precise the answer may be
 * @param lookback only records within this period before the question's day count, if stated
 * @param areaLevel for area rules, the one CBS level questions must be at
 * @param disclosure for count rules, the disclosure control, if stated
 * @param fourEyes whether a second person allowed to ask must approve
 */
public record Rule(
    String id,
    String purpose,
    List<Asker> askers,
    List<String> responders,
    SubjectType subject,
    CategorySelection categories,
    AnswerKind answer,
    Optional<Period> lookback,
    Optional<AreaLevel> areaLevel,
    Optional<Disclosure> disclosure,
    boolean fourEyes) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(purpose, "purpose");
    askers = List.copyOf(askers);
    responders = List.copyOf(responders);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(categories, "categories");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(lookback, "lookback");
    Objects.requireNonNull(areaLevel, "areaLevel");
    Objects.requireNonNull(disclosure, "disclosure");
  }

  /** Whether a person of {@code party} holding {@code roles} is one of its askers. */
  public boolean lets(String party, Set<String> roles) {
    return askers.stream().anyMatch(a -> a.matches(party, roles));
  }

  /** Whether it covers questions for {@code purposeId} about {@code subjectType} to {@code responder}. */
  public boolean covers(String purposeId, SubjectType subjectType, String responder) {
    return purpose.equals(purposeId) && subject == subjectType && responders.contains(responder);
  }
}
