package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One absurd date is one rejected row, never a failed ingest. */
class RowAdmissionTest {
  @TempDir
  Path dir;

  @Test
  void rejectsDatesBefore1900AndAfterTomorrowRowByRow() throws Exception {
    // The node's clock says 2026-11-29 (TestNode.NOW): tomorrow is accepted, the day after is not.
    try (TestNode politie = TestNode.start(dir, "politie", """
        person,999990019,incident.huiselijk-geweld,2025-03-01,
        person,999990019,incident.huiselijk-geweld,1899-12-31,
        person,999990019,incident.huiselijk-geweld,1900-01-01,
        person,999990019,incident.huiselijk-geweld,2026-11-30,
        person,999990019,incident.huiselijk-geweld,2026-12-01,
        person,999990019,incident.huiselijk-geweld,+999999999-12-31,
        person,999990019,incident.huiselijk-geweld,9999-12-31,
        """)) {
      IngestReport ingest = politie.node.ingestReport();

      assertThat(ingest.accepted()).isEqualTo(3);
      assertThat(ingest.rejected()).isEqualTo(4);
      assertThat(ingest.firstRejections()).extracting(RowRejection::row).containsExactly(3L, 6L, 7L, 8L);
      assertThat(ingest.firstRejections().get(0).reason())
          .isEqualTo("date lies before 1900-01-01: expected a date from 1900-01-01 to 2026-11-30");
      assertThat(ingest.firstRejections().get(1).reason())
          .startsWith("date lies after 2026-11-30 (tomorrow by the node's clock)");
      assertThat(politie.node.records()).isEqualTo(3);
    }
  }
}
