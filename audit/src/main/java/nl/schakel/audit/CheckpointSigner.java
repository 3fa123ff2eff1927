package nl.schakel.audit;

import java.util.Objects;
import nl.schakel.trust.sign.SigningKey;

/**
 * Signs checkpoints of one log: the log's origin, e.g. {@code schakel/<federation>/gateway}, is
 * also the note key's name, so the verifier key alone tells an auditor which log it is for.
 */
public final class CheckpointSigner {

  private final SigningKey key;
  private final NoteKey noteKey;

  /** Requires an origin that is a valid note key name (no '+', space or control character). */
  public CheckpointSigner(SigningKey key, String origin) {
    this.key = Objects.requireNonNull(key, "key");
    this.noteKey = NoteKey.of(origin, key.verifyingKey());
  }

  public String origin() {
    return noteKey.name();
  }

  /** Returns the verifier key auditors need: {@code <origin>+<key hash>+<base64 key>}. */
  public String verifierKey() {
    return noteKey.verifierKey();
  }

  /** Returns the signed note of the checkpoint for the tree of {@code size} with {@code root}. */
  public String sign(long size, byte[] root) {
    return SignedNote.sign(new Checkpoint(origin(), size, root).body(), origin(), key);
  }
}
