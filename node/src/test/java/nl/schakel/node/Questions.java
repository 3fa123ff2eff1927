package nl.schakel.node;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.IdentifierForm;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.ResponderRule;
import nl.schakel.proto.v1.Subject;
import nl.schakel.proto.v1.SubjectType;

/**
 * Questions as the gateway builds them for the demo convenant's rules: convenant id, version and
 * canonical hash, a valid asker, purpose and case reference, and per responder the rule, answer
 * kind and categories of the gateway's own Allow. Tests then break one thing at a time.
 */
final class Questions {
  private final Covenant covenant;

  Questions(Path covenantFile) throws Exception {
    this.covenant = CovenantParser.parse(covenantFile);
  }

  static Questions demo() throws Exception {
    return new Questions(TestNode.DEMO);
  }

  Covenant covenant() {
    return covenant;
  }

  /** Asked now, valid 30 s, citing this convenant, asked by {@code party} with {@code roles}. */
  Question.Builder base(String party, List<String> roles, String purpose, String caseReference) {
    return Question.newBuilder()
        .setQuestionId(UUID.randomUUID().toString())
        .setIssuedAtEpochMs(TestNode.NOW.toEpochMilli())
        .setExpiresAtEpochMs(TestNode.NOW.plusSeconds(30).toEpochMilli())
        .setCovenantId(covenant.id())
        .setCovenantVersion(covenant.version())
        .setCovenantHash(ByteString.copyFrom(covenant.canonicalHash()))
        .setPurpose(purpose)
        .setCaseReference(caseReference)
        .setAskerParty(party)
        .setAskerPerson(party + ".person")
        .addAllAskerRoles(roles)
        .setTraceId("0af7651916cd43dd8448eb211c80319c");
  }

  static ResponderRule rule(String party, String ruleId, AnswerKind kind, String... categories) {
    return ResponderRule.newBuilder().setParty(party).setRuleId(ruleId).setAnswerKind(kind)
        .addAllCategories(List.of(categories)).build();
  }

  static Subject person(ByteString pseudonym) {
    return Subject.newBuilder().setType(SubjectType.PERSON).setForm(IdentifierForm.BSN).setPseudonym(pseudonym).build();
  }

  static Subject address(ByteString bagPseudonym) {
    return Subject.newBuilder().setType(SubjectType.ADDRESS).setForm(IdentifierForm.BAG_ID).setPseudonym(bagPseudonym)
        .build();
  }

  static Subject organisation(ByteString kvkPseudonym) {
    return Subject.newBuilder().setType(SubjectType.ORGANISATION).setForm(IdentifierForm.KVK).setPseudonym(kvkPseudonym)
        .build();
  }

  static Subject area(String code) {
    return Subject.newBuilder().setType(SubjectType.AREA).setForm(IdentifierForm.CBS_AREA_CODE).setAreaCode(code).build();
  }

  /** R1: the Zorg- en Veiligheidshuis asks {@code responder} hit-per-party about a person. */
  Question.Builder r1(String responder, ByteString person, String... categories) {
    return base("zvh", List.of("procesregisseur"), "zvh-casus", "ZVH-2026-00042")
        .setSubject(person(person))
        .addResponders(rule(responder, "R1", AnswerKind.HIT_PER_PARTY, categories));
  }

  /** R2: the burgemeester asks the police how many domestic-violence incidents (bands, P5Y). */
  Question.Builder r2(ByteString person) {
    return base("gemeente-oov", List.of("burgemeester"), "huisverbod", "HV-2026-0012")
        .setSubject(person(person))
        .addResponders(rule("politie", "R2", AnswerKind.COUNT, "incident.huiselijk-geweld"));
  }

  /** R4: the RIEC counts undermining signals in a buurt (min 5, round 5). */
  Question.Builder r4(String buurt) {
    return base("riec", List.of("analist"), "ondermijning", "RIEC-2026-0007")
        .setSubject(area(buurt))
        .addResponders(rule("politie", "R4", AnswerKind.COUNT, "signaal.ondermijning"));
  }

  /** R7: an OOV adviser asks the police about drug incidents at an address (P12M). */
  Question.Builder r7(ByteString bagId, String... categories) {
    return base("gemeente-oov", List.of("oov-adviseur"), "opiumwet-13b", "13B-2026-0001")
        .setSubject(address(bagId))
        .addResponders(rule("politie", "R7", AnswerKind.HIT_PER_PARTY, categories));
  }
}
