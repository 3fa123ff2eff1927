package nl.schakel.audit;

/**
 * A Merkle proof did not verify. The message says what was expected and what was found (sizes,
 * indexes, hashes in hex). Proof material is public log data, so printing it leaks nothing.
 */
public final class ProofException extends RuntimeException {

  ProofException(String message) {
    super(message);
  }
}
