package nl.schakel.cli;

/**
 * Exit codes, so scripts never mistake one outcome for another: a refusal is not an outage, and
 * an outage is not a "no".
 */
final class Exits {
  /** Every allowed party answered. */
  static final int OK = 0;
  /** Bad input, bad config, or the gateway could not be used at all. */
  static final int ERROR = 1;
  /** Refused: by the convenant (403, or nobody may answer) or by a budget (429). */
  static final int REFUSED = 2;
  /** At least one allowed party was unavailable: its answer is unknown, not "no". */
  static final int UNAVAILABLE = 3;

  private Exits() {}
}
