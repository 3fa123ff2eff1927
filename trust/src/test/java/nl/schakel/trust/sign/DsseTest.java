package nl.schakel.trust.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import nl.schakel.trust.sign.Vectors.DsseVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** DSSE v1: the PAE of the spec, signatures that match the published vectors, verify-then-parse. */
class DsseTest {
  private static final String TYPE = "application/vnd.schakel.answer.v1+proto";
  private static final byte[] PAYLOAD = "outcome: no-hit".getBytes(StandardCharsets.UTF_8);

  private final SigningKey gateway = SigningKey.fromSeed(Vectors.rfc8032().get(0).seed());
  private final SigningKey node = SigningKey.fromSeed(Vectors.rfc8032().get(1).seed());
  private final SigningKey stranger = SigningKey.fromSeed(Vectors.rfc8032().get(2).seed());
  private final Function<KeyId, Optional<VerifyingKey>> known = lookup(gateway, node);

  static List<DsseVector> dsse() {
    return Vectors.dsse();
  }

  static List<DsseVector> dsseSigned() {
    return Vectors.dsse().stream().filter(DsseVector::hasSignature).toList();
  }

  static Function<KeyId, Optional<VerifyingKey>> lookup(SigningKey... keys) {
    Map<KeyId, VerifyingKey> byId = new java.util.HashMap<>();
    for (SigningKey k : keys) {
      byId.put(k.keyId(), k.verifyingKey());
    }
    return id -> Optional.ofNullable(byId.get(id));
  }

  @Test
  void encodesTheHelloWorldExampleOfTheSpec() {
    byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.US_ASCII));

    assertThat(new String(pae, StandardCharsets.US_ASCII))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dsse")
  void encodesThePublishedVectors(DsseVector v) {
    assertThat(Dsse.pae(v.payloadType(), v.payload())).isEqualTo(v.pae());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dsseSigned")
  void signsThePublishedVectorsByteForByte(DsseVector v) {
    DsseSignature signature = DsseSigner.sign(gateway, v.payloadType(), v.payload());

    assertThat(signature.sig()).isEqualTo(v.signature());
    assertThat(signature.keyId()).isEqualTo(gateway.keyId());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dsseSigned")
  void verifiesThePublishedVectors(DsseVector v) throws Exception {
    DsseSignature published = new DsseSignature(gateway.keyId(), v.signature());

    VerifiedPayload verified = DsseVerifier.verify(v.payloadType(), v.payload(), List.of(published), known);

    assertThat(verified.payload()).isEqualTo(v.payload());
  }

  @Test
  void countsTheBytesNotTheCharactersOfANonAsciiType() {
    byte[] pae = Dsse.pae("ä", new byte[0]);

    assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 2 ä 0 ");
  }

  @Test
  void refusesAPayloadTypeWithAnUnpairedSurrogate() {
    assertThatThrownBy(() -> Dsse.pae("type\uD800", PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void refusesToSignOrVerifyAnEmptyPayloadType() {
    assertThatThrownBy(() -> DsseSigner.sign(gateway, "", PAYLOAD)).isInstanceOf(IllegalArgumentException.class);
    DsseSignature s = DsseSigner.sign(gateway, TYPE, PAYLOAD);
    assertThatThrownBy(() -> DsseVerifier.verify("", PAYLOAD, List.of(s), known))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void handsBackThePayloadAndItsSignerOnceASignatureVerifies() throws Exception {
    DsseSignature s = DsseSigner.sign(node, TYPE, PAYLOAD);

    VerifiedPayload verified = DsseVerifier.verify(TYPE, PAYLOAD, List.of(s), known);

    assertThat(verified.payload()).isEqualTo(PAYLOAD);
    assertThat(verified.payloadType()).isEqualTo(TYPE);
    assertThat(verified.signers()).containsExactly(node.keyId());
  }

  @Test
  void rejectsATamperedPayload() {
    DsseSignature s = DsseSigner.sign(node, TYPE, PAYLOAD);
    byte[] tampered = "outcome: hit".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, tampered, List.of(s), known))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessage("no valid signature by a known key over payload of type " + TYPE
            + ": 0 by an unknown key, 1 did not verify [" + node.keyId() + "]");
  }

  @Test
  void rejectsASignatureMadeForAnotherPayloadType() {
    DsseSignature question = DsseSigner.sign(gateway, "application/vnd.schakel.question.v1+proto", PAYLOAD);

    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, PAYLOAD, List.of(question), known))
        .isInstanceOf(InvalidSignatureException.class);
  }

  @Test
  void rejectsATamperedSignature() {
    byte[] sig = DsseSigner.sign(node, TYPE, PAYLOAD).sig();
    sig[40] ^= 0x20;

    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, PAYLOAD, List.of(new DsseSignature(node.keyId(), sig)), known))
        .isInstanceOf(InvalidSignatureException.class);
  }

  @Test
  void rejectsAValidSignatureByAnUnknownKey() {
    DsseSignature s = DsseSigner.sign(stranger, TYPE, PAYLOAD);

    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, PAYLOAD, List.of(s), known))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageEndingWith(": 1 by an unknown key [" + stranger.keyId() + "], 0 did not verify");
  }

  @Test
  void rejectsASignatureClaimingAKnownKeyIdButMadeByAnotherKey() {
    DsseSignature forged = new DsseSignature(node.keyId(), stranger.sign(Dsse.pae(TYPE, PAYLOAD)));

    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, PAYLOAD, List.of(forged), known))
        .isInstanceOf(InvalidSignatureException.class);
  }

  @Test
  void treatsAKeyTheLookupReturnsUnderAnotherIdAsUnknown() {
    DsseSignature s = DsseSigner.sign(stranger, TYPE, PAYLOAD);
    // A careless lookup that returns the stranger's key for any id must not make it trusted.
    Function<KeyId, Optional<VerifyingKey>> careless = id -> Optional.of(stranger.verifyingKey());
    DsseSignature relabelled = new DsseSignature(node.keyId(), s.sig());

    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, PAYLOAD, List.of(relabelled), careless))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("1 by an unknown key");
  }

  @Test
  void rejectsAnEnvelopeWithoutSignatures() {
    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, PAYLOAD, List.of(), known))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessage("payload of type " + TYPE + " carries no signature");
  }

  @Test
  void rejectsAnEnvelopeWithMoreSignaturesThanAnyMessageHas() {
    DsseSignature s = DsseSigner.sign(node, TYPE, PAYLOAD);
    List<DsseSignature> many = new ArrayList<>(Collections.nCopies(DsseVerifier.MAX_SIGNATURES + 1, s));

    assertThatThrownBy(() -> DsseVerifier.verify(TYPE, PAYLOAD, many, known))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessage("payload carries 17 signatures; at most 16 are accepted");
  }

  @Test
  void acceptsOneGoodSignatureBesideBadOnesAndNamesOnlyTheGoodSigner() throws Exception {
    DsseSignature bad = new DsseSignature(gateway.keyId(), new byte[64]);
    DsseSignature short_ = new DsseSignature(gateway.keyId(), new byte[3]);
    DsseSignature unknown = DsseSigner.sign(stranger, TYPE, PAYLOAD);
    DsseSignature good = DsseSigner.sign(node, TYPE, PAYLOAD);

    VerifiedPayload verified = DsseVerifier.verify(TYPE, PAYLOAD, List.of(bad, short_, unknown, good, good), known);

    assertThat(verified.signers()).containsExactly(node.keyId());
  }

  @Test
  void namesEveryDistinctSignerInEnvelopeOrder() throws Exception {
    List<DsseSignature> both = List.of(DsseSigner.sign(node, TYPE, PAYLOAD), DsseSigner.sign(gateway, TYPE, PAYLOAD));

    assertThat(DsseVerifier.verify(TYPE, PAYLOAD, both, known).signers())
        .containsExactly(node.keyId(), gateway.keyId());
  }

  @Test
  void keepsSignatureBytesFromChangingAfterTheFact() {
    byte[] sig = DsseSigner.sign(node, TYPE, PAYLOAD).sig();
    DsseSignature s = new DsseSignature(node.keyId(), sig);
    sig[0] ^= 1;
    s.sig()[1] ^= 1;

    assertThat(s.sig()).isEqualTo(DsseSigner.sign(node, TYPE, PAYLOAD).sig());
    assertThat(s).isEqualTo(DsseSigner.sign(node, TYPE, PAYLOAD));
  }
}
