package nl.schakel.trust.sign;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One entry of a DSSE envelope's {@code signatures}: which key signed (a hint for finding the
 * key, authenticated only by the signature itself) and the 64-byte Ed25519 signature over the
 * PAE. Immutable: the signature bytes are copied in and out.
 *
 * @param keyId the signer's key id
 * @param sig the signature; any length is held, so that a wrong one is rejected when verifying
 *     rather than when an envelope is decoded
 */
public record DsseSignature(KeyId keyId, byte[] sig) {

  public DsseSignature {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(sig, "sig");
    sig = sig.clone();
  }

  /** A copy of the signature bytes. */
  @Override
  public byte[] sig() {
    return sig.clone();
  }

  /** The signature in standard base64 with padding, as DSSE's JSON envelope carries it. */
  public String sigBase64() {
    return Base64.getEncoder().encodeToString(sig);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsseSignature other
        && keyId.equals(other.keyId)
        && MessageDigest.isEqual(sig, other.sig);
  }

  @Override
  public int hashCode() {
    return 31 * keyId.hashCode() + Arrays.hashCode(sig);
  }

  @Override
  public String toString() {
    return "DsseSignature[keyId=" + keyId + ", " + sig.length + " bytes]";
  }
}
