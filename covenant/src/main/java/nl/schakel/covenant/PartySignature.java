package nl.schakel.covenant;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.SigningKey;

/**
 * One party's signature on a convenant version: one line of its {@code .sigs} file, {@code
 * <party-id> <key-id> <base64 signature>}. Immutable: the signature bytes are copied in and out.
 *
 * @param party the party that signed
 * @param keyId which of the party's keys signed
 * @param signature the 64-byte Ed25519 signature over the 32 bytes of {@link
 *     Covenant#canonicalHash()}
 */
public record PartySignature(String party, KeyId keyId, byte[] signature) {

  /** An Ed25519 signature's length (RFC 8032 section 5.1.6). */
  public static final int SIGNATURE_LEN = 64;

  public PartySignature {
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
    if (signature.length != SIGNATURE_LEN) {
      throw new IllegalArgumentException(
          "an Ed25519 signature is " + SIGNATURE_LEN + " bytes, found " + signature.length);
    }
    signature = signature.clone();
  }

  /**
   * {@code party} signs the canonical hash of {@code covenant} with {@code key}. The signed message
   * is the bare 32-byte hash, so anyone can check it with standard tools ({@code openssl pkeyutl
   * -verify -rawin}). The same key signs DSSE messages too; mistaking one for the other would
   * need a convenant whose hash is itself a DSSE PAE (starting {@code DSSEv1 }), which nobody can
   * choose.
   *
   * @throws IllegalArgumentException if {@code party} is not a party of {@code covenant}
   */
  public static PartySignature sign(Covenant covenant, String party, SigningKey key) {
    Objects.requireNonNull(covenant, "covenant");
    Objects.requireNonNull(key, "key");
    if (!covenant.parties().containsKey(party)) {
      throw new IllegalArgumentException(
          Problems.quote(party) + " is not a party of convenant " + covenant.label()
              + Suggestions.didYouMean(party, covenant.parties().keySet())
              + "; its parties are " + String.join(", ", covenant.parties().keySet()));
    }
    return new PartySignature(party, key.keyId(), key.sign(covenant.canonicalHash()));
  }

  /** A copy of the signature bytes. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The line as a {@code .sigs} file holds it, without the line end. */
  public String line() {
    return party + " " + keyId + " " + Base64.getEncoder().encodeToString(signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartySignature other
        && party.equals(other.party)
        && keyId.equals(other.keyId)
        && MessageDigest.isEqual(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(party, keyId, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "PartySignature[" + party + ", key " + keyId + "]";
  }
}
