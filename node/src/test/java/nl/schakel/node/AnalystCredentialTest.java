package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.Credential;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.KvkNumber;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node verifies the asker's credential (and for four-eyes the approver's) itself, against the
 * issuer configured for the asking party, over real gRPC with gateway-signed questions: a
 * compromised gateway cannot invent an asker, a role or an approval. The node holds records on
 * every subject asked about, so anything but a refusal would leak.
 */
class AnalystCredentialTest {
  static final Bsn PERSON = Bsn.parse("999990019");
  static final BagId PAND = BagId.parse("0344200000123456");
  static final KvkNumber BEDRIJF = KvkNumber.parse("12345678");

  @TempDir
  Path dir;
  Questions demo;

  @BeforeEach
  void questions() throws Exception {
    demo = Questions.demo();
  }

  static Credential credential(String token) {
    return Credential.newBuilder().setToken(token).build();
  }

  static void assertRefused(Answer a, String reason) {
    assertThat(a.getOutcome()).as(a.getRefusalDetail()).isEqualTo(Outcome.REFUSED);
    assertThat(a.getRefusalReason()).as(a.getRefusalDetail()).isEqualTo(reason);
    assertThat(a.hasCount()).isFalse();
  }

  @Nested
  class TheAskersCredential {
    TestNode politie;

    @BeforeEach
    void start() throws Exception {
      politie = TestNode.start(dir, "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n");
    }

    @AfterEach
    void stop() {
      politie.close();
    }

    Question.Builder r1() {
      return demo.r1("politie", politie.pseudonym(PERSON));
    }

    Answer askWith(String token) throws Exception {
      return politie.askAsIs(r1().setAskerCredential(credential(token)).build());
    }

    @Test
    void answersWhenTheCredentialVouchesForAskerAndRoles() throws Exception {
      assertThat(askWith(politie.token("zvh", "zvh.person", List.of("procesregisseur"), Duration.ofMinutes(5)))
          .getOutcome()).isEqualTo(Outcome.HIT);
    }

    @Test
    void refusesAQuestionWithoutCredential() throws Exception {
      assertRefused(politie.askAsIs(r1().build()), "credential-missing");
    }

    @Test
    void refusesACredentialSignedWithAnotherKey() throws Exception {
      String forged = new TokenMinter(DemoIssuerKey.loadOrCreate(dir.resolve("forger")),
          Clock.fixed(TestNode.NOW, ZoneOffset.UTC)).mint(new AnalystClaims(TestNode.ISSUER, TestNode.AUDIENCE,
          "zvh", "zvh.person", List.of("procesregisseur"), Duration.ofMinutes(5)));

      // The forger's key id is not the issuer's; claiming the issuer's key id is the next test.
      assertRefused(askWith(forged), "credential-unknown-key");
    }

    @Test
    void refusesAGenuineCredentialWhoseClaimsWereChanged() throws Exception {
      String[] genuine = politie.token("zvh", "zvh.person", List.of("medewerker"), Duration.ofMinutes(5)).split("\\.");
      String[] wanted = politie.token("zvh", "zvh.person", List.of("procesregisseur"), Duration.ofMinutes(5))
          .split("\\.");

      assertRefused(askWith(genuine[0] + "." + wanted[1] + "." + genuine[2]), "credential-invalid-signature");
    }

    @Test
    void refusesAnotherPartysCredentialForTheClaimedParty() throws Exception {
      assertRefused(askWith(politie.token("riec", "zvh.person", List.of("procesregisseur"), Duration.ofMinutes(5))),
          "credential-wrong-party");
    }

    @Test
    void refusesAClaimedRoleTheCredentialDoesNotHold() throws Exception {
      Answer a = askWith(politie.token("zvh", "zvh.person", List.of("medewerker"), Duration.ofMinutes(5)));

      assertRefused(a, "credential-mismatch");
      assertThat(a.getRefusalDetail()).doesNotContain("zvh.person");
    }

    @Test
    void refusesACredentialOfAnotherPersonThanTheClaimedAsker() throws Exception {
      Answer a = askWith(politie.token("zvh", "zvh.colleague", List.of("procesregisseur"), Duration.ofMinutes(5)));

      assertRefused(a, "credential-mismatch");
      assertThat(a.getRefusalDetail()).doesNotContain("zvh.colleague").doesNotContain("zvh.person");
    }

    @Test
    void refusesACredentialLivingTenMinutes() throws Exception {
      assertRefused(askWith(politie.token("zvh", "zvh.person", List.of("procesregisseur"), Duration.ofMinutes(10))),
          "credential-too-long-lived");
    }

    @Test
    void refusesAnExpiredCredential() throws Exception {
      String expired = new TokenMinter(TestNode.issuerKey(dir), Clock.fixed(TestNode.NOW.minusSeconds(600),
          ZoneOffset.UTC)).mint(new AnalystClaims(TestNode.ISSUER, TestNode.AUDIENCE, "zvh", "zvh.person",
          List.of("procesregisseur"), Duration.ofMinutes(5)));

      assertRefused(askWith(expired), "credential-expired");
    }

    @Test
    void refusesAnAskerOfAPartyWithoutConfiguredIssuer() throws Exception {
      Question.Builder q = r1().setAskerParty("onbekend");

      assertRefused(politie.ask(q), "credential-unverifiable");
    }

    @Test
    void neverEchoesTheTokenInARefusal() throws Exception {
      String token = politie.token("zvh", "zvh.person", List.of("procesregisseur"), Duration.ofMinutes(10));

      assertThat(askWith(token).toString()).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
    }
  }

  /** R5 (ondermijning, organisation at the tax office) needs the approval of a second RIEC analyst. */
  @Nested
  class FourEyes {
    TestNode belastingdienst;

    @BeforeEach
    void start() throws Exception {
      belastingdienst = TestNode.start(dir, "belastingdienst", "organisation,12345678,fiscaal-signaal,2026-05-05,\n");
    }

    @AfterEach
    void stop() {
      belastingdienst.close();
    }

    /** As the gateway sends an approved question (D14): the approver's credential, not the asker's. */
    Question.Builder r5() {
      return demo.base("riec", List.of("analist"), "ondermijning", "RIEC-2026-0007")
          .setSubject(Questions.organisation(belastingdienst.pseudonym(BEDRIJF)))
          .addResponders(Questions.rule("belastingdienst", "R5", AnswerKind.HIT_PER_PARTY, "fiscaal-signaal"));
    }

    Question approvedBy(String party, String person, String... roles) {
      return r5().setApproverCredential(credential(
          belastingdienst.token(party, person, List.of(roles), Duration.ofMinutes(5)))).build();
    }

    @Test
    void answersAnApprovedQuestionWithAValidApproverCredential() throws Exception {
      assertThat(belastingdienst.askAsIs(approvedBy("riec", "l.analist", "analist")).getOutcome())
          .isEqualTo(Outcome.HIT);
    }

    @Test
    void refusesAFourEyesQuestionWithoutApproval() throws Exception {
      assertRefused(belastingdienst.ask(r5()), "approval-missing");
    }

    @Test
    void refusesAQuestionWithNeitherCredential() throws Exception {
      assertRefused(belastingdienst.askAsIs(r5().build()), "credential-missing");
    }

    @Test
    void refusesTheAskerApprovingTheirOwnQuestion() throws Exception {
      assertRefused(belastingdienst.askAsIs(approvedBy("riec", "riec.person", "analist")), "approval-self");
    }

    @Test
    void refusesAnApproverWhoMayNotAskUnderTheRule() throws Exception {
      assertRefused(belastingdienst.askAsIs(approvedBy("riec", "r.medewerker", "medewerker")),
          "approval-not-allowed");
      assertRefused(belastingdienst.askAsIs(approvedBy("gemeente-oov", "b.burgemeester", "burgemeester")),
          "approval-not-allowed");
    }

    @Test
    void refusesAForgedApproval() throws Exception {
      String forged = new TokenMinter(DemoIssuerKey.loadOrCreate(dir.resolve("forger")),
          Clock.fixed(TestNode.NOW, ZoneOffset.UTC)).mint(new AnalystClaims(TestNode.ISSUER, TestNode.AUDIENCE,
          "riec", "l.analist", List.of("analist"), Duration.ofMinutes(5)));

      assertRefused(belastingdienst.askAsIs(r5().setApproverCredential(credential(forged)).build()),
          "approval-invalid");
    }
  }

  /**
   * Opiumwet 13b: R9 at the social domain needs four eyes, so the whole question waits; once
   * approved, the police (R7, no four eyes) gets it with the approver's credential only.
   */
  @Nested
  class ApprovedQuestionAtAnotherResponder {
    TestNode politie;

    @BeforeEach
    void start() throws Exception {
      politie = TestNode.start(dir, "politie", "address,0344200000123456,incident.drugs,2026-10-01,\n");
    }

    @AfterEach
    void stop() {
      politie.close();
    }

    Question.Builder approved(Question.Builder q) {
      return q.setApproverCredential(credential(
          politie.token("gemeente-oov", "b.adviseur", List.of("oov-adviseur"), Duration.ofMinutes(5))));
    }

    @Test
    void answersWhenAnotherResponderOfTheQuestionNeedsFourEyesAndItWasApproved() throws Exception {
      Question.Builder q = demo.r7(politie.pseudonym(PAND), "incident.drugs")
          .addResponders(Questions.rule("sociaal-domein", "R9", AnswerKind.HIT_PER_PARTY, "minderjarige-ingeschreven"));

      assertThat(politie.askAsIs(approved(q).build()).getOutcome()).isEqualTo(Outcome.HIT);
    }

    @Test
    void refusesAnApproverWhoMayNotAskUnderTheFourEyesRule() throws Exception {
      Question.Builder q = demo.r7(politie.pseudonym(PAND), "incident.drugs")
          .addResponders(Questions.rule("sociaal-domein", "R9", AnswerKind.HIT_PER_PARTY, "minderjarige-ingeschreven"))
          .setApproverCredential(credential(
              politie.token("gemeente-oov", "s.burgemeester", List.of("burgemeester"), Duration.ofMinutes(5))));

      assertRefused(politie.askAsIs(q.build()), "approval-not-allowed");
    }

    @Test
    void refusesAMissingAskerCredentialWhenNoRuleOfTheQuestionNeedsFourEyes() throws Exception {
      assertRefused(politie.askAsIs(approved(demo.r7(politie.pseudonym(PAND), "incident.drugs")).build()),
          "credential-missing");
    }
  }
}
