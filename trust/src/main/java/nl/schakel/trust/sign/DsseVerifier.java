package nl.schakel.trust.sign;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies DSSE v1 signatures before anything reads the payload (protocol.md "To verify"): a
 * forged payload must never reach a parser. Threshold 1: at least one signature by a known key
 * must verify; signatures by unknown keys and signatures that fail are skipped, as the protocol's
 * multi-signature rule says, but cannot make up for the lack of a good one.
 */
public final class DsseVerifier {

  /**
   * Most signatures looked at in one envelope. A hostile envelope with thousands of entries would
   * otherwise cost 134 us of verification each; no Schakel message has more than a few signers.
   */
  public static final int MAX_SIGNATURES = 16;

  private DsseVerifier() {}

  /**
   * Checks that some signature in {@code signatures} is a valid signature by a key that {@code
   * keys} knows over {@link Dsse#pae(String, byte[]) PAE}({@code payloadType}, {@code payload}),
   * and only then hands the payload back.
   *
   * <p>Pass as {@code payloadType} the type this caller accepts, not merely the type an envelope
   * claims: a signature over another type then fails like any forgery, which is the protocol's
   * "reject if PAYLOAD_TYPE is not a supported type" done before parsing.
   *
   * @param keys the trusted keys by id; a key it returns under another id is treated as unknown
   * @throws InvalidSignatureException if there are no signatures or more than {@value
   *     #MAX_SIGNATURES}, or none is a valid signature by a known key; the message says how many
   *     were by unknown keys and how many failed
   * @throws IllegalArgumentException if {@code payloadType} is empty or not valid Unicode
   */
  public static VerifiedPayload verify(
      String payloadType,
      byte[] payload,
      List<DsseSignature> signatures,
      Function<KeyId, Optional<VerifyingKey>> keys)
      throws InvalidSignatureException {
    requireType(payloadType);
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signatures, "signatures");
    Objects.requireNonNull(keys, "keys");
    if (signatures.isEmpty()) {
      throw new InvalidSignatureException("payload of type " + payloadType + " carries no signature");
    }
    if (signatures.size() > MAX_SIGNATURES) {
      throw new InvalidSignatureException(
          "payload carries " + signatures.size() + " signatures; at most " + MAX_SIGNATURES
              + " are accepted");
    }
    byte[] pae = Dsse.pae(payloadType, payload);
    Set<KeyId> accepted = new LinkedHashSet<>();
    List<KeyId> unknown = new ArrayList<>();
    List<KeyId> failed = new ArrayList<>();
    for (DsseSignature signature : signatures) {
      Optional<VerifyingKey> key =
          Objects.requireNonNull(keys.apply(signature.keyId()), "key lookup returned null");
      if (key.isEmpty() || !key.get().keyId().equals(signature.keyId())) {
        unknown.add(signature.keyId());
        continue;
      }
      try {
        key.get().verify(pae, signature.sig());
        accepted.add(signature.keyId());
      } catch (InvalidSignatureException e) {
        failed.add(signature.keyId());
      }
    }
    if (accepted.isEmpty()) {
      throw new InvalidSignatureException(
          "no valid signature by a known key over payload of type " + payloadType + ": "
              + describe(unknown, "by an unknown key") + ", " + describe(failed, "did not verify"));
    }
    return new VerifiedPayload(payloadType, payload, List.copyOf(accepted));
  }

  static void requireType(String payloadType) {
    Objects.requireNonNull(payloadType, "payloadType");
    if (payloadType.isEmpty()) {
      throw new IllegalArgumentException(
          "payload type must name encoding and schema, e.g. application/vnd.schakel.answer.v1+proto;"
              + " found an empty string");
    }
  }

  private static String describe(List<KeyId> ids, String what) {
    return ids.size() + " " + what + (ids.isEmpty() ? "" : " " + ids);
  }
}
