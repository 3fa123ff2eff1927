package nl.schakel.audit;

import java.util.Objects;

/**
 * Checks signed checkpoints of one log, independently of the writer: parses the note and the
 * checkpoint body strictly, requires a valid signature by the one trusted key, and requires the
 * origin to be that key's name. Every failure is a {@link CheckpointException}.
 */
public final class CheckpointVerifier {

  private final NoteKey key;

  /** Trusts {@code key}; checkpoints must carry its name as their origin. */
  public CheckpointVerifier(NoteKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Parses {@code verifierKey} ({@code <name>+<hash>+<base64>}) and trusts it. */
  public static CheckpointVerifier forVerifierKey(String verifierKey) {
    return new CheckpointVerifier(NoteKey.parse(verifierKey));
  }

  public String origin() {
    return key.name();
  }

  /** Returns the checkpoint {@code signedNote} carries, once it is well-formed and verified. */
  public Checkpoint verify(String signedNote) {
    String text = SignedNote.open(signedNote, key);
    Checkpoint checkpoint = Checkpoint.parseBody(text);
    if (!checkpoint.origin().equals(key.name())) {
      throw new CheckpointException(
          "checkpoint origin is '" + checkpoint.origin() + "', expected '" + key.name() + "'");
    }
    return checkpoint;
  }
}
