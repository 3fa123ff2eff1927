package nl.schakel.node;

import java.util.List;

/**
 * What an ingest run did: how many rows became records, how many were rejected, and the first
 * rejections (row number and reason only) so an operator can fix the source.
 */
public record IngestReport(long accepted, long rejected, List<RowRejection> firstRejections) {
  /** How many rejections are kept for the report; the rest are only counted. */
  static final int MAX_REPORTED_REJECTIONS = 100;

  public IngestReport {
    firstRejections = List.copyOf(firstRejections);
  }
}
