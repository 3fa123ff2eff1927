package nl.schakel.covenant;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the convenant needs to know about a question to decide it: never the subject's
 * identifier, so decisions (and their cache) cannot depend on or leak who is asked about.
 *
 * @param askerParty the asker's party, from its credential
 * @param askerRoles the asker's roles, from its credential; roles the convenant does not know
 *     are ignored
 * @param purpose the purpose id cited
 * @param caseReference the case reference given, if any
 * @param subjectType what kind of subject it is about
 * @param areaLevel for an area subject, the level of the area code asked about
 * @param categories the categories asked about; empty means all that the rule allows
 */
public record Question(
    String askerParty,
    Set<String> askerRoles,
    String purpose,
    Optional<String> caseReference,
    SubjectType subjectType,
    Optional<AreaLevel> areaLevel,
    Set<String> categories) {

  public Question {
    Objects.requireNonNull(askerParty, "askerParty");
    askerRoles = Set.copyOf(askerRoles);
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(caseReference, "caseReference");
    Objects.requireNonNull(subjectType, "subjectType");
    Objects.requireNonNull(areaLevel, "areaLevel");
    categories = Set.copyOf(categories);
  }
}
