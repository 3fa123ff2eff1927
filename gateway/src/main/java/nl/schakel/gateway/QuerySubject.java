package nl.schakel.gateway;

import nl.schakel.covenant.SubjectType;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.Identifier;

/** The validated subject of a question: an identified person, address or company, or an area. */
sealed interface QuerySubject permits QuerySubject.Identified, QuerySubject.Area {
  SubjectType type();

  /** A person, address or organisation. The identifier is pseudonymised before it goes anywhere. */
  record Identified(SubjectType type, Identifier identifier) implements QuerySubject {}

  /** A CBS area: not personal data, so it travels in clear for counting. */
  record Area(AreaCode code) implements QuerySubject {
    @Override
    public SubjectType type() {
      return SubjectType.AREA;
    }
  }
}
