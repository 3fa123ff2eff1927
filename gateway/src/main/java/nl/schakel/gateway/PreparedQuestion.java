package nl.schakel.gateway;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import nl.schakel.covenant.AreaLevel;
import nl.schakel.covenant.Question;
import nl.schakel.covenant.SubjectType;
import nl.schakel.proto.v1.Subject;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.InvalidIdentifierException;

/**
 * A question as soon as it has entered: validated, and with its subject already pseudonymised
 * (principle 6), so it can wait for approval, be stored and be asked later without the clear
 * identifier ever being kept. Everything a question needs from here on is in here.
 *
 * @param queryId the question's id, also the id of the signed question the nodes see
 * @param traceId W3C trace id
 * @param askedAt when the asker asked
 * @param responders the parties considered, in the order they are shown
 * @param subject the subject as it travels to nodes: the matching-key pseudonym (or area code)
 * @param auditPseudonym the audit-key pseudonym for the log; empty for an area
 * @param flags admission signals for reviewers, copied into every audit entry of the question
 *     (e.g. {@code sequential-identifiers}, see {@link SequenceWatch})
 */
record PreparedQuestion(
    String queryId,
    String traceId,
    Instant askedAt,
    String askerParty,
    String askerPerson,
    Set<String> askerRoles,
    String purpose,
    Optional<String> caseReference,
    String covenantId,
    List<String> categories,
    List<String> responders,
    Subject subject,
    ByteString auditPseudonym,
    List<String> flags) {

  PreparedQuestion {
    flags = List.copyOf(flags);
    Objects.requireNonNull(queryId, "queryId");
    askerRoles = Set.copyOf(askerRoles);
    categories = List.copyOf(categories);
    responders = List.copyOf(responders);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(auditPseudonym, "auditPseudonym");
  }

  SubjectType subjectType() {
    return Wire.subjectType(subject.getType());
  }

  /** Whether {@code party}/{@code person} is the one who asked it. */
  boolean askedBy(String party, String person) {
    return askerParty.equals(party) && askerPerson.equals(person);
  }

  /**
   * This question as the convenant sees it, asked by {@code party} with {@code roles}: the asker
   * for the decision itself, another person to check whether they may approve it.
   */
  Question asAskedBy(String party, Set<String> roles) {
    Optional<AreaLevel> level = Optional.empty();
    if (subject.getType() == nl.schakel.proto.v1.SubjectType.AREA) {
      try {
        level = Optional.of(Wire.areaLevel(AreaCode.parse(subject.getAreaCode()).level()));
      } catch (InvalidIdentifierException e) {
        throw new IllegalStateException("a prepared area question holds a validated area code", e);
      }
    }
    return new Question(party, roles, purpose, caseReference, subjectType(), level, new LinkedHashSet<>(categories));
  }

  Question asAsked() {
    return asAskedBy(askerParty, askerRoles);
  }

  @Override
  public String toString() {
    // Pseudonyms are not identifiers, but they have no business in a log line either.
    return "PreparedQuestion[" + queryId + " " + askerParty + "/" + askerPerson + " " + purpose + "]";
  }
}
