package nl.schakel.gateway;

import nl.schakel.covenant.AnswerKind;
import nl.schakel.covenant.AreaLevel;
import nl.schakel.covenant.SubjectType;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;

/** Maps the convenant's and the trust module's vocabulary onto the wire contract's enums. */
final class Wire {
  private Wire() {}

  static nl.schakel.proto.v1.SubjectType subjectType(SubjectType t) {
    return switch (t) {
      case PERSON -> nl.schakel.proto.v1.SubjectType.PERSON;
      case ADDRESS -> nl.schakel.proto.v1.SubjectType.ADDRESS;
      case ORGANISATION -> nl.schakel.proto.v1.SubjectType.ORGANISATION;
      case AREA -> nl.schakel.proto.v1.SubjectType.AREA;
    };
  }

  /** The reverse of {@link #subjectType(SubjectType)}, for questions read back from the state store. */
  static SubjectType subjectType(nl.schakel.proto.v1.SubjectType t) {
    return switch (t) {
      case PERSON -> SubjectType.PERSON;
      case ADDRESS -> SubjectType.ADDRESS;
      case ORGANISATION -> SubjectType.ORGANISATION;
      case AREA -> SubjectType.AREA;
      case SUBJECT_TYPE_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("subject type must be set");
    };
  }

  static nl.schakel.proto.v1.AnswerKind answerKind(AnswerKind k) {
    return switch (k) {
      case HIT_PER_PARTY -> nl.schakel.proto.v1.AnswerKind.HIT_PER_PARTY;
      case HIT_ANY -> nl.schakel.proto.v1.AnswerKind.HIT_ANY;
      case COUNT -> nl.schakel.proto.v1.AnswerKind.COUNT;
    };
  }

  static nl.schakel.proto.v1.IdentifierForm form(IdentifierForm f) {
    return switch (f) {
      case BSN -> nl.schakel.proto.v1.IdentifierForm.BSN;
      case BAG_ID -> nl.schakel.proto.v1.IdentifierForm.BAG_ID;
      case POSTAL_ADDRESS -> nl.schakel.proto.v1.IdentifierForm.POSTAL_ADDRESS;
      case KVK -> nl.schakel.proto.v1.IdentifierForm.KVK;
    };
  }

  static AreaLevel areaLevel(AreaCode.Level level) {
    return switch (level) {
      case BUURT -> AreaLevel.BUURT;
      case WIJK -> AreaLevel.WIJK;
      case GEMEENTE -> AreaLevel.GEMEENTE;
    };
  }
}
