package nl.schakel.node;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a node's index for metrics and health: which source it reads, when the index in use
 * was built and from how many records, and how the last attempt went. No identifier appears here;
 * an error names the source, the failure and, at most, a row number.
 *
 * @param indexBuiltAt when the index answering questions now finished building
 * @param records records in that index
 * @param ingest the ingest report of that index (accepted, rejected, first rejections)
 * @param lastAttempt when the last load or refresh started
 * @param lastError why the last attempt failed; empty when it succeeded
 * @param refreshes successful loads, the first at start included
 * @param failures failed refreshes since start
 */
public record RefreshStatus(String source, Instant indexBuiltAt, long records, IngestReport ingest, Instant lastAttempt,
    Optional<String> lastError, long refreshes, long failures) {
  public RefreshStatus {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(indexBuiltAt, "indexBuiltAt");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastError, "lastError");
  }

  /** Whether the last attempt succeeded, so the index in use is the newest the source allows. */
  public boolean ok() {
    return lastError.isEmpty();
  }
}
