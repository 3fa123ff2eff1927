package nl.schakel.node;

import java.util.Optional;
import nl.schakel.covenant.AreaLevel;
import nl.schakel.covenant.SubjectType;
import nl.schakel.proto.v1.Subject;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.identifier.InvalidIdentifierException;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * The subject of a question, validated once at the edge: an area by its CBS code, or a pseudonym
 * in a form that agrees with the subject type. The agreement matters: a "person" question carrying
 * an address pseudonym would let a gateway ask about addresses under a person rule.
 */
sealed interface AskedSubject permits AskedSubject.Area, AskedSubject.Identified {

  SubjectType type();

  /** For an area, the level of its code, which area rules restrict; empty otherwise. */
  Optional<AreaLevel> areaLevel();

  record Area(AreaCode code) implements AskedSubject {
    @Override
    public SubjectType type() {
      return SubjectType.AREA;
    }

    @Override
    public Optional<AreaLevel> areaLevel() {
      return Optional.of(switch (code.level()) {
        case BUURT -> AreaLevel.BUURT;
        case WIJK -> AreaLevel.WIJK;
        case GEMEENTE -> AreaLevel.GEMEENTE;
      });
    }
  }

  record Identified(SubjectType type, IdentifierForm form, Pseudonym pseudonym) implements AskedSubject {
    @Override
    public Optional<AreaLevel> areaLevel() {
      return Optional.empty();
    }
  }

  /** Reads the wire subject, or refuses it as {@code malformed-question}; never echoes its content. */
  static AskedSubject from(Subject s) throws Refused {
    if (s.getType() == nl.schakel.proto.v1.SubjectType.AREA) {
      if (s.getForm() != nl.schakel.proto.v1.IdentifierForm.CBS_AREA_CODE || !s.getPseudonym().isEmpty()) {
        throw malformed("an area subject carries a CBS area code and no pseudonym");
      }
      try {
        return new Area(AreaCode.parse(s.getAreaCode()));
      } catch (InvalidIdentifierException e) {
        throw malformed("area: " + e.getMessage());
      }
    }
    SubjectType type = switch (s.getType()) {
      case PERSON -> SubjectType.PERSON;
      case ADDRESS -> SubjectType.ADDRESS;
      case ORGANISATION -> SubjectType.ORGANISATION;
      case AREA, SUBJECT_TYPE_UNSPECIFIED, UNRECOGNIZED -> throw malformed("the subject has no type");
    };
    IdentifierForm form = WireForms.fromWire(s.getForm())
        .orElseThrow(() -> malformed("a " + type.yamlName() + " subject needs an identifier form"));
    if (WireForms.subjectType(form) != s.getType()) {
      throw malformed("identifier form " + form.domain() + " does not identify a " + type.yamlName());
    }
    if (s.getPseudonym().size() != Pseudonym.LENGTH || !s.getAreaCode().isEmpty()) {
      throw malformed("subject pseudonym must be " + Pseudonym.LENGTH + " bytes, with no area code");
    }
    return new Identified(type, form, Pseudonym.of(s.getPseudonym().toByteArray()));
  }

  private static Refused malformed(String detail) {
    return new Refused("malformed-question", detail);
  }
}
