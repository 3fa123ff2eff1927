package nl.schakel.audit;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import nl.schakel.trust.sign.SigningKey;

/**
 * A witness's signing side (c2sp.org/tlog-cosignature, {@code cosignature/v1}): after checking a
 * log's checkpoint against its own record of that log, the witness signs it with a timestamp. A
 * checkpoint cosigned by witnesses the verifier trusts is one the log cannot have shown
 * differently to those witnesses (split view), which a log signature alone cannot promise.
 *
 * <p>Schakel's witnesses are the nodes, named {@code schakel/node/<party>}, signing with their
 * CA-certified Ed25519 key; see {@link CosignatureVerifier} for the format.
 */
public final class Cosigner {

  private final SigningKey key;
  private final CosignatureVerifier verifier;

  /** {@code name}: the witness key name, e.g. {@code schakel/node/politie}; a valid note key name. */
  public Cosigner(SigningKey key, String name) {
    this.key = Objects.requireNonNull(key, "key");
    this.verifier = CosignatureVerifier.of(name, key.verifyingKey());
  }

  public String name() {
    return verifier.name();
  }

  /** The C2SP verifier key {@code <name>+<8 hex key hash>+<base64(0x04 || public key)>}. */
  public String verifierKey() {
    return verifier.verifierKey();
  }

  /**
   * Returns one signature line {@code — <name> <base64(key hash || 8-byte big-endian timestamp ||
   * signature)>} over {@code "cosignature/v1\ntime <seconds>\n"} and the checkpoint body, without a
   * trailing newline. {@code time} is truncated to whole seconds, as the format carries; requires
   * a time not before 1970.
   */
  public String cosign(Checkpoint checkpoint, Instant time) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    long seconds = time.getEpochSecond();
    if (seconds < 0) {
      throw new IllegalArgumentException("expected a cosignature time since 1970, found " + time);
    }
    byte[] signature = key.sign(CosignatureVerifier.signedMessage(checkpoint, seconds));
    ByteBuffer blob = ByteBuffer.allocate(CosignatureVerifier.BLOB_BYTES);
    blob.putInt(verifier.keyHash()).putLong(seconds).put(signature);
    return SignedNote.SIGNATURE_PREFIX
        + verifier.name()
        + " "
        + Base64.getEncoder().encodeToString(blob.array());
  }

  @Override
  public String toString() {
    return "Cosigner[" + verifierKey() + "]";
  }
}
