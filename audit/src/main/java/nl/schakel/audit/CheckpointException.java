package nl.schakel.audit;

/**
 * A signed note or checkpoint that does not parse, is not signed by the expected key, or does
 * not agree with the log. Unchecked like {@link ProofException}: a hostile note must not crash a
 * verifier with any other exception.
 */
public final class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }
}
