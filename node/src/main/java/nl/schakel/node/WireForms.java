package nl.schakel.node;

import java.util.Optional;
import nl.schakel.trust.identifier.IdentifierForm;

/** Maps identifier forms and answer kinds between the wire contract and the trust and covenant modules. */
final class WireForms {
  private WireForms() {}

  static Optional<IdentifierForm> fromWire(nl.schakel.proto.v1.IdentifierForm wire) {
    return switch (wire) {
      case BSN -> Optional.of(IdentifierForm.BSN);
      case BAG_ID -> Optional.of(IdentifierForm.BAG_ID);
      case POSTAL_ADDRESS -> Optional.of(IdentifierForm.POSTAL_ADDRESS);
      case KVK -> Optional.of(IdentifierForm.KVK);
      case CBS_AREA_CODE, IDENTIFIER_FORM_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
    };
  }

  static nl.schakel.proto.v1.IdentifierForm toWire(IdentifierForm form) {
    return switch (form) {
      case BSN -> nl.schakel.proto.v1.IdentifierForm.BSN;
      case BAG_ID -> nl.schakel.proto.v1.IdentifierForm.BAG_ID;
      case POSTAL_ADDRESS -> nl.schakel.proto.v1.IdentifierForm.POSTAL_ADDRESS;
      case KVK -> nl.schakel.proto.v1.IdentifierForm.KVK;
    };
  }

  static nl.schakel.proto.v1.SubjectType subjectType(IdentifierForm form) {
    return switch (form) {
      case BSN -> nl.schakel.proto.v1.SubjectType.PERSON;
      case BAG_ID, POSTAL_ADDRESS -> nl.schakel.proto.v1.SubjectType.ADDRESS;
      case KVK -> nl.schakel.proto.v1.SubjectType.ORGANISATION;
    };
  }

  static nl.schakel.proto.v1.AnswerKind answerKind(nl.schakel.covenant.AnswerKind kind) {
    return switch (kind) {
      case HIT_PER_PARTY -> nl.schakel.proto.v1.AnswerKind.HIT_PER_PARTY;
      case HIT_ANY -> nl.schakel.proto.v1.AnswerKind.HIT_ANY;
      case COUNT -> nl.schakel.proto.v1.AnswerKind.COUNT;
    };
  }
}
