package nl.schakel.node.index;

/**
 * How many records a lookup matched and the cell key of that set: the sum of their record keys
 * modulo 2^32 (int overflow does the modulo). The same set of records has the same cell key
 * whichever question or order selected it.
 */
public record Matches(long count, int cellKey) {
  public static final Matches NONE = new Matches(0, 0);
}
