package nl.schakel.trust.sign;

import java.util.Objects;

/** Signs payloads the DSSE v1 way: over {@link Dsse#pae(String, byte[])}, never the bare payload. */
public final class DsseSigner {

  private DsseSigner() {}

  /**
   * {@code key}'s signature over the PAE of {@code payloadType} and {@code payload}, with the key's
   * id. Use an application-specific type naming encoding and schema (e.g. {@code
   * application/vnd.schakel.answer.v1+proto}), never a generic one like {@code application/json}:
   * the type is what keeps one kind of signed message from passing for another.
   *
   * @throws IllegalArgumentException if {@code payloadType} is empty or not valid Unicode
   */
  public static DsseSignature sign(SigningKey key, String payloadType, byte[] payload) {
    Objects.requireNonNull(key, "key");
    DsseVerifier.requireType(payloadType);
    return new DsseSignature(key.keyId(), key.sign(Dsse.pae(payloadType, payload)));
  }
}
