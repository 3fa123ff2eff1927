package nl.schakel.node;

/** A source row that was not ingested: its row number and why. Never the row's contents. */
public record RowRejection(long row, String reason) {
  @Override
  public String toString() {
    return "row " + row + ": " + reason;
  }
}
