package nl.schakel.node.index;

/**
 * Where a build stands, for logs and metrics: an ingest of ten million records takes long
 * enough that an operator wants to see it move.
 *
 * @param records records added so far
 * @param processed records past the current stage's per-record work (keys derived); equals
 *     {@code records} once {@link Stage#DONE}
 */
public record BuildProgress(Stage stage, long records, long processed) {

  /** The stages in the order a build passes them. */
  public enum Stage {
    /** Records are being added. */
    COLLECTING,
    /** All records are in; they are being sorted by pseudonym. */
    SORTING,
    /** Walking the sorted records: numbering duplicates, deriving record keys, laying out subjects. */
    KEYING,
    /** Summing counts and keys per area, category and day. */
    AGGREGATING,
    /** The index is built; the builder is spent. */
    DONE
  }
}
