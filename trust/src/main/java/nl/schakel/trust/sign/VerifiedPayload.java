package nl.schakel.trust.sign;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A payload whose DSSE signature checked out: only now may it be parsed. Immutable.
 *
 * @param payloadType the type the signature covers
 * @param payload the signed bytes (copied in and out)
 * @param signers the distinct known keys whose signatures verified, in envelope order; never
 *     empty
 */
public record VerifiedPayload(String payloadType, byte[] payload, List<KeyId> signers) {

  public VerifiedPayload {
    Objects.requireNonNull(payloadType, "payloadType");
    payload = Objects.requireNonNull(payload, "payload").clone();
    signers = List.copyOf(signers);
    if (signers.isEmpty()) {
      throw new IllegalArgumentException("a verified payload has at least one signer");
    }
  }

  /** A copy of the signed bytes. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifiedPayload other
        && payloadType.equals(other.payloadType)
        && Arrays.equals(payload, other.payload)
        && signers.equals(other.signers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(payloadType, Arrays.hashCode(payload), signers);
  }

  @Override
  public String toString() {
    return "VerifiedPayload[" + payloadType + ", " + payload.length + " bytes, signers=" + signers + "]";
  }
}
