package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC source against a real PostgreSQL: mapping, row validation, read-only, credentials. */
class JdbcRecordSourceTest {
  static PartnerDatabase db;

  @TempDir
  Path dir;

  final HmacPseudonymiser pseudonymiser =
      HmacPseudonymiser.create(PseudonymKey.generate(new SecureRandom()), Node.MATCHING);

  @BeforeAll
  static void startDatabase() throws Exception {
    db = PartnerDatabase.start();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    db.close();
  }

  @BeforeEach
  void emptyTable() throws SQLException {
    db.execute("TRUNCATE registraties RESTART IDENTITY");
  }

  IngestReport read(NodeConfig.Source.Jdbc config, List<SubjectRecord> sink) throws IOException {
    return JdbcRecordSource.open(config, name -> Optional.empty(), pseudonymiser).read(sink::add);
  }

  IngestReport read(String query, List<SubjectRecord> sink) throws IOException {
    return read(db.source(query, dir), sink);
  }

  @Test
  void mapsAPartnerShapedTableOntoTheFiveColumnsWithAs() throws Exception {
    db.insert("person", "999990019", "incident.huiselijk-geweld", "2026-01-10", "BU03440101");
    db.insert("person", "999990032", "melding", "2025-05-01", null);
    List<SubjectRecord> records = new ArrayList<>();

    IngestReport report = read(PartnerDatabase.MAPPING + " ORDER BY id", records);

    assertThat(report.accepted()).isEqualTo(2);
    assertThat(report.rejected()).isZero();
    assertThat(records.get(0).subject()).isEqualTo(pseudonymiser.pseudonymise(Bsn.parse("999990019")));
    assertThat(records.get(0).form()).isEqualTo(IdentifierForm.BSN);
    assertThat(records.get(0).date()).hasToString("2026-01-10");
    assertThat(records.get(0).area()).isPresent();
    assertThat(records.get(1).area()).isEmpty();
  }

  @Test
  void countsAndReportsBadRowsByResultSetPositionWithoutTheIdentifier() throws Exception {
    db.insert("person", "999990019", "melding", "2026-01-10", null);   // 1 ok
    db.insert("person", null, "melding", "2026-01-10", null);          // 2 NULL identifier
    db.insert("person", "999990018", "melding", "2026-01-10", null);   // 3 fails the elfproef
    db.insert("vehicle", "AB12CD", "melding", "2026-01-10", null);     // 4 unknown subject type
    db.insert("person", "999990032", "melding", null, null);           // 5 NULL date
    db.insert("person", "999990044", "Melding!", "2026-01-10", null);  // 6 bad category
    db.insert(null, "999990044", "melding", "2026-01-10", null);       // 7 NULL subject type
    db.insert("person", "999990044", "melding", "2026-01-10", "XX12"); // 8 bad area
    List<SubjectRecord> records = new ArrayList<>();

    IngestReport report = read(PartnerDatabase.MAPPING + " ORDER BY id", records);

    assertThat(report.accepted()).isEqualTo(1);
    assertThat(report.rejected()).isEqualTo(7);
    assertThat(report.firstRejections()).extracting(RowRejection::row).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(report.firstRejections()).extracting(RowRejection::reason).containsExactly(
        "identifier is missing (empty or NULL)",
        report.firstRejections().get(1).reason(),
        "subject_type must be person, address or organisation",
        "date is missing (empty or NULL)",
        report.firstRejections().get(4).reason(),
        "subject_type is missing (empty or NULL)",
        report.firstRejections().get(6).reason());
    assertThat(report.firstRejections().get(1).reason()).contains("elfproef");
    assertThat(report.firstRejections().get(4).reason()).startsWith("category must match");
    assertThat(report.firstRejections().get(6).reason()).startsWith("area:");
    assertThat(report.firstRejections().toString()).doesNotContain("99999").doesNotContain("AB12CD");
  }

  @Test
  void readsDatesGivenAsIsoTextAndRejectsOtherTextDates() throws Exception {
    db.insert("person", "999990019", "melding", "2026-01-10", null);
    List<SubjectRecord> records = new ArrayList<>();

    IngestReport report = read("""
        SELECT subject_type, identifier, category, date, area FROM (VALUES
          ('person', '999990019', 'melding', '2026-01-10', NULL),
          ('person', '999990019', 'melding', '10-01-2026', NULL)) AS t(subject_type, identifier, category, date, area)
        """, records);

    assertThat(report.accepted()).isEqualTo(1);
    assertThat(report.firstRejections()).containsExactly(new RowRejection(2, "date must be ISO yyyy-MM-dd"));
  }

  @Test
  void keepsDuplicateRowsAsTheCsvSourceDoes() throws Exception {
    db.insert("person", "999990019", "melding", "2026-01-10", null);
    db.insert("person", "999990019", "melding", "2026-01-10", null);
    List<SubjectRecord> records = new ArrayList<>();

    IngestReport report = read(PartnerDatabase.MAPPING, records);

    // Two registrations of the same fact are two mentions, exactly as two identical CSV lines are.
    assertThat(report.accepted()).isEqualTo(2);
    assertThat(records).hasSize(2).allMatch(r -> r.equals(records.get(0)));
  }

  @Test
  void refusesAQueryWithoutTheFiveColumnsNamingWhatItFound() {
    assertThatThrownBy(() -> read("SELECT bsn_nummer, categorie FROM registraties", new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must return exactly the columns subject_type,identifier,category,date,area")
        .hasMessageContaining("found bsn_nummer,categorie");
  }

  @Test
  void refusesATimestampDateColumnSayingHowToCastIt() {
    assertThatThrownBy(() -> read("SELECT soort_subject AS subject_type, bsn_nummer AS identifier,"
        + " categorie AS category, now() AS date, buurtcode AS area FROM registraties", new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("column date must be DATE or text yyyy-MM-dd, found timestamptz")
        .hasMessageContaining("CAST(x AS DATE)");
  }

  @Test
  void cannotWriteToThePartnersDatabaseEvenWhenTheQueryTries() throws Exception {
    db.execute("GRANT INSERT ON registraties TO " + PartnerDatabase.READER);
    db.execute("GRANT USAGE ON SEQUENCE registraties_id_seq TO " + PartnerDatabase.READER);
    try {
      assertThatThrownBy(() -> read("""
          WITH w AS (INSERT INTO registraties (soort_subject) VALUES ('person') RETURNING 1)
          SELECT 'person' AS subject_type, '999990019' AS identifier, 'melding' AS category,
                 CAST('2026-01-10' AS date) AS date, CAST(NULL AS text) AS area FROM w
          """, new ArrayList<>()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("read-only transaction");
      try (var c = db.admin(); var rs = c.createStatement().executeQuery("SELECT count(*) FROM registraties")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    } finally {
      db.execute("REVOKE INSERT ON registraties FROM " + PartnerDatabase.READER);
    }
  }

  @Test
  void readsThePasswordFromTheEnvironmentVariableItNames() throws Exception {
    db.insert("person", "999990019", "melding", "2026-01-10", null);
    var config = new NodeConfig.Source.Jdbc(db.url(), Optional.of(PartnerDatabase.READER),
        Optional.of(new DatabasePassword.FromEnvironment("PARTNER_DB_PASSWORD")), PartnerDatabase.MAPPING,
        Optional.empty());
    Map<String, String> env = Map.of("PARTNER_DB_PASSWORD", PartnerDatabase.READER_PASSWORD);

    IngestReport report = JdbcRecordSource.open(config, name -> Optional.ofNullable(env.get(name)), pseudonymiser)
        .read(r -> { });

    assertThat(report.accepted()).isEqualTo(1);
  }

  @Test
  void failsOnAWrongPasswordWithoutEchoingIt() throws Exception {
    Path wrong = java.nio.file.Files.writeString(dir.resolve("wrong.password"), "Not-The-Password-42\n");
    var config = new NodeConfig.Source.Jdbc(db.url() + "?password=Url-Secret-77", Optional.of(PartnerDatabase.READER),
        Optional.of(new DatabasePassword.FromFile(wrong)), PartnerDatabase.MAPPING, Optional.empty());

    assertThatThrownBy(() -> read(config, new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("password authentication failed")
        .hasMessageContaining(db.url())
        .hasMessageNotContaining("Not-The-Password-42")
        .hasMessageNotContaining("Url-Secret-77")
        .hasMessageNotContaining(PartnerDatabase.READER_PASSWORD);
    assertThat(config.toString()).doesNotContain("Url-Secret-77").contains("password=FromFile");
  }

  @Test
  void namesTheMissingEnvironmentVariable() {
    var config = new NodeConfig.Source.Jdbc(db.url(), Optional.of(PartnerDatabase.READER),
        Optional.of(new DatabasePassword.FromEnvironment("NO_SUCH_VARIABLE")), PartnerDatabase.MAPPING, Optional.empty());

    assertThatThrownBy(() -> read(config, new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("environment variable NO_SUCH_VARIABLE is not set");
  }

  @Test
  void redactsIdentifiersADatabaseErrorQuotes() {
    // The cast fails on a row value; PostgreSQL quotes the value in its message.
    assertThatThrownBy(() -> read("SELECT soort_subject AS subject_type, bsn_nummer AS identifier, categorie AS category,"
        + " registratiedatum AS date, buurtcode AS area FROM registraties WHERE CAST('999990019' AS int) > 0"
        + " AND CAST('3511 AB' AS int) > 0", new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("invalid input syntax for type integer")
        .hasMessageNotContaining("999990019")
        .hasMessageNotContaining("3511");
  }
}
