package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.DescribeRequest;
import nl.schakel.proto.v1.IdentifierForm;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * node.yaml {@code identifier-forms}: declared, the node answers for exactly those forms and
 * rejects source rows of others; absent, it answers for the forms its records hold (decision D3).
 * Either way a question in a form it does not answer for is refused, never answered no-hit.
 */
class IdentifierFormsTest {
  static final String RECORDS = """
      person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
      organisation,12345678,signaal.ondermijning,2026-02-02,BU03440102
      address,0344010000012345,incident.drugs,2026-06-01,BU03440101
      """;

  @TempDir
  Path dir;
  final Questions questions = questionsOrFail();

  static Questions questionsOrFail() {
    try {
      return Questions.demo();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void describesExactlyTheDeclaredFormsAndRejectsRowsOfOthers() throws Exception {
    try (TestNode politie = TestNode.start(dir, "politie", RECORDS,
        c -> c.withIdentifierForms(DeclaredForms.parse(List.of("bsn", "postal-address", "cbs-area-code"))))) {
      var d = politie.stub().describe(DescribeRequest.getDefaultInstance());

      assertThat(d.getIdentifierFormsList())
          .containsExactly(IdentifierForm.BSN, IdentifierForm.POSTAL_ADDRESS, IdentifierForm.CBS_AREA_CODE);
      IngestReport ingest = politie.node.ingestReport();
      assertThat(ingest.accepted()).isEqualTo(1);
      assertThat(ingest.firstRejections()).extracting(RowRejection::toString).containsExactly(
          "row 3: identifier form kvk is not declared in identifier-forms (bsn, postal-address, cbs-area-code)",
          "row 4: identifier form bag-id is not declared in identifier-forms (bsn, postal-address, cbs-area-code)");
    }
  }

  @Test
  void refusesAQuestionInAnUndeclaredFormThoughTheSourceHoldsSuchRecords() throws Exception {
    try (TestNode politie = TestNode.start(dir, "politie", RECORDS,
        c -> c.withIdentifierForms(DeclaredForms.parse(List.of("bsn"))))) {
      Answer bag = politie.ask(questions.r7(politie.pseudonym(BagId.parse("0344010000012345")), "incident.drugs"));
      Answer area = politie.ask(questions.r4("BU03440101"));
      Answer person = politie.ask(questions.r1("politie", politie.pseudonym(Bsn.parse("999990019"))));

      assertThat(bag.getOutcome()).isEqualTo(Outcome.REFUSED);
      assertThat(bag.getRefusalReason()).isEqualTo("identifier-form-unsupported");
      assertThat(area.getOutcome()).isEqualTo(Outcome.REFUSED);
      assertThat(area.getRefusalReason()).isEqualTo("identifier-form-unsupported");
      assertThat(area.getRefusalDetail()).contains("cbs-area-code");
      assertThat(person.getOutcome()).isEqualTo(Outcome.HIT);
    }
  }

  @Test
  void aDeclaredFormWithoutRecordsIsAnsweredNoHit() throws Exception {
    try (TestNode politie = TestNode.start(dir, "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n",
        c -> c.withIdentifierForms(DeclaredForms.parse(List.of("bsn", "bag-id"))))) {
      Answer bag = politie.ask(questions.r7(politie.pseudonym(BagId.parse("0344010000012345")), "incident.drugs"));

      assertThat(bag.getOutcome()).isEqualTo(Outcome.NO_HIT);
    }
  }

  @Test
  void withoutADeclarationTheFormsComeFromTheRecords() throws Exception {
    try (TestNode politie = TestNode.start(dir, "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n",
        c -> c)) {
      Answer bag = politie.ask(questions.r7(politie.pseudonym(BagId.parse("0344010000012345")), "incident.drugs"));
      Answer area = politie.ask(questions.r4("BU03440101"));

      assertThat(politie.stub().describe(DescribeRequest.getDefaultInstance()).getIdentifierFormsList())
          .containsExactly(IdentifierForm.BSN);
      assertThat(bag.getRefusalReason()).isEqualTo("identifier-form-unsupported");
      assertThat(area.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    }
  }

  @Test
  void readsTheDeclarationFromNodeYamlAndRefusesUnknownNames() throws Exception {
    var yaml = SourceConfigTest.YAML;
    assertThat(yaml.readValue("[bsn, KVK, cbs-area-code]", DeclaredForms.class).toNames())
        .containsExactly("bsn", "kvk", "cbs-area-code");
    assertThatThrownBy(() -> yaml.readValue("[bsn, email]", DeclaredForms.class))
        .hasMessageContaining("unknown form 'email', expected one of bsn, bag-id, postal-address, kvk, cbs-area-code");
    assertThatThrownBy(() -> DeclaredForms.parse(List.of()))
        .hasMessageContaining("at least one of");
    assertThatThrownBy(() -> DeclaredForms.parse(List.of("bsn", "bsn"))).hasMessageContaining("bsn twice");
  }
}
