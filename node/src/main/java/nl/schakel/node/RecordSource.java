package nl.schakel.node;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * Where a node's records come from: a CSV file or the partner's own database. Each read is a full
 * pass over the source; every row goes through the same validation ({@link RecordRows}), so a bad
 * row is counted and reported the same way whatever the source.
 */
interface RecordSource {
  /**
   * Streams every valid record to {@code sink} and reports what was accepted and rejected. Throws
   * when the source as a whole is unusable (missing, unreachable, wrong shape, or lost midway): a
   * partial read is never reported as a complete one.
   */
  IngestReport read(Consumer<SubjectRecord> sink) throws IOException;

  /** The source for logs and status: a file name or a database URL without credentials. */
  String describe();

  /**
   * The source {@code origin} configures, checked as far as possible without reading it: for a
   * database, that a driver for its URL exists. {@code environment} looks up environment variables
   * (a database password may live there).
   */
  static RecordSource open(NodeConfig.Source.Origin origin, Pseudonymiser pseudonymiser,
      Function<String, Optional<String>> environment) throws IOException {
    if (origin instanceof NodeConfig.Source.Csv csv) {
      return new CsvRecordSource(csv.file(), pseudonymiser);
    }
    return JdbcRecordSource.open((NodeConfig.Source.Jdbc) origin, environment, pseudonymiser);
  }
}
