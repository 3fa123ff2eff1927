package nl.schakel.node;

/**
 * How many records a question matched, and the cell key of that set: the sum of their record
 * keys modulo 2^32 (int overflow does the modulo), read as an unsigned fraction of 2^32. The same
 * set of records always has the same cell key, whatever question or order selected it.
 */
record Tally(long count, int cellKey) {
  static final Tally EMPTY = new Tally(0, 0);
}
