package nl.schakel.covenant;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A category of records a party holds, e.g. {@code incident.huiselijk-geweld}.
 *
 * @param name the category name, unique within its party
 * @param subjects the subject types its records are about, in file order
 * @param special the kind of special personal data it holds (e.g. {@code criminal} for AVG art.
 *     10, {@code health} for art. 9), if any
 */
public record CategoryDeclaration(String name, Set<SubjectType> subjects, Optional<String> special) {

  public CategoryDeclaration {
    Objects.requireNonNull(name, "name");
    subjects = Ordered.set(subjects);
    Objects.requireNonNull(special, "special");
  }

  /** Whether its records can be about a subject of this type. */
  public boolean covers(SubjectType subject) {
    return subjects.contains(subject);
  }
}
