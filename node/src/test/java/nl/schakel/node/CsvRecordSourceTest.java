package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRecordSourceTest {
  @TempDir
  Path dir;

  final HmacPseudonymiser pseudonymiser =
      HmacPseudonymiser.create(PseudonymKey.generate(new SecureRandom()), Node.MATCHING);

  IngestReport ingest(String body, List<SubjectRecord> sink) throws IOException {
    Path csv = dir.resolve("records.csv");
    Files.writeString(csv, body, StandardCharsets.UTF_8);
    return new CsvRecordSource(csv, pseudonymiser).read(sink::add);
  }

  @Test
  void ingestsEveryIdentifierFormAsAPseudonym() throws IOException {
    List<SubjectRecord> records = new ArrayList<>();
    IngestReport report = ingest("""
        subject_type,identifier,category,date,area
        person,999990019,melding,2026-01-10,BU03440101
        address,0344200000123456,incident.drugs,2026-09-01,
        address,3511ab 12a-2,huurcontract,2026-09-01,BU03440101
        organisation,12345678,fiscaal-signaal,2026-01-01,
        """, records);

    assertThat(report.accepted()).isEqualTo(4);
    assertThat(report.rejected()).isZero();
    assertThat(records).extracting(SubjectRecord::form).containsExactly(
        IdentifierForm.BSN, IdentifierForm.BAG_ID, IdentifierForm.POSTAL_ADDRESS, IdentifierForm.KVK);
    assertThat(records.get(0).subject()).isEqualTo(pseudonymiser.pseudonymise(Bsn.parse("999990019")));
    assertThat(records.get(0).area()).isPresent();
    assertThat(records.get(1).area()).isEmpty();
  }

  @Test
  void countsAndReportsBadRowsByNumberAndReasonWithoutTheirContents() throws IOException {
    List<SubjectRecord> records = new ArrayList<>();
    IngestReport report = ingest("""
        subject_type,identifier,category,date,area
        person,999990018,melding,2026-01-10,
        person,999990019,melding,10-01-2026,
        vehicle,AB12CD,melding,2026-01-10,
        person,999990019,Melding!,2026-01-10,
        person,999990019,melding,2026-01-10,XX0344
        person,999990019,melding
        person,"999990019",melding,2026-01-10,
        person,999990019,melding,2026-01-10,
        """, records);

    assertThat(report.accepted()).isEqualTo(1);
    assertThat(report.rejected()).isEqualTo(7);
    assertThat(report.firstRejections()).extracting(RowRejection::row).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(report.firstRejections().get(0).reason()).contains("elfproef");
    assertThat(report.firstRejections().get(1).reason()).contains("ISO");
    assertThat(report.firstRejections().toString()).doesNotContain("99999001").doesNotContain("AB12CD");
  }

  @Test
  void refusesAFileWithoutTheExpectedHeader() throws IOException {
    assertThatThrownBy(() -> ingest("bsn,category\n999990019,melding\n", new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("subject_type,identifier,category,date,area");
  }

  @Test
  void refusesAFileThatIsNotUtf8() throws IOException {
    Path csv = dir.resolve("latin1.csv");
    Files.write(csv, ("subject_type,identifier,category,date,area\nperson,999990019,m\u00e9lding,2026-01-10,\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> new CsvRecordSource(csv, pseudonymiser).read(r -> { }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void reportsEmptyFieldsAsMissingByName() throws IOException {
    IngestReport report = ingest("""
        subject_type,identifier,category,date,area
        person,,melding,2026-01-10,
        person,999990019,melding, ,
        ,999990019,melding,2026-01-10,
        """, new ArrayList<>());

    assertThat(report.firstRejections()).containsExactly(
        new RowRejection(2, "identifier is missing (empty or NULL)"),
        new RowRejection(3, "date is missing (empty or NULL)"),
        new RowRejection(4, "subject_type is missing (empty or NULL)"));
  }

  @Test
  void keepsDuplicateRowsAsSeparateMentions() throws IOException {
    List<SubjectRecord> records = new ArrayList<>();
    IngestReport report = ingest("""
        subject_type,identifier,category,date,area
        person,999990019,melding,2026-01-10,
        person,999990019,melding,2026-01-10,
        """, records);

    // The partner registered it twice; a count must say two, and the index keys each mention apart.
    assertThat(report.accepted()).isEqualTo(2);
    assertThat(report.rejected()).isZero();
    assertThat(records.get(0)).isEqualTo(records.get(1));
  }
}
