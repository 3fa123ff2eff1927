package nl.schakel.trust.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import nl.schakel.trust.sign.Vectors.Ed25519Vector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Ed25519 signing and verification against RFC 8032 and the JDK's own implementation. */
class Ed25519Test {

  static List<Ed25519Vector> rfc8032() {
    return Vectors.rfc8032();
  }

  static SigningKey seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return SigningKey.generate(random);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc8032")
  void derivesThePublicKeyOfRfc8032(Ed25519Vector v) {
    SigningKey key = SigningKey.fromSeed(v.seed());

    assertThat(key.verifyingKey().raw()).isEqualTo(v.publicKey());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc8032")
  void signsExactlyAsRfc8032(Ed25519Vector v) {
    assertThat(SigningKey.fromSeed(v.seed()).sign(v.message())).isEqualTo(v.signature());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc8032")
  void verifiesTheSignaturesOfRfc8032(Ed25519Vector v) {
    VerifyingKey key = VerifyingKey.fromRaw(v.publicKey());

    assertThatCode(() -> key.verify(v.message(), v.signature())).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc8032")
  void rejectsAnRfc8032SignatureOverAChangedMessage(Ed25519Vector v) {
    VerifyingKey key = VerifyingKey.fromRaw(v.publicKey());
    byte[] changed = Arrays.copyOf(v.message(), v.message().length + 1);

    assertThatThrownBy(() -> key.verify(changed, v.signature()))
        .isInstanceOf(InvalidSignatureException.class)
        .hasMessageContaining("does not verify with key " + key.keyId());
  }

  @Test
  void rejectsASignatureWithOneBitFlippedInROrInS() {
    Ed25519Vector v = Vectors.rfc8032().get(1);
    VerifyingKey key = VerifyingKey.fromRaw(v.publicKey());
    for (int index : new int[] {0, 31, 32, 63}) {
      byte[] flipped = v.signature();
      flipped[index] ^= 0x01;

      assertThatThrownBy(() -> key.verify(v.message(), flipped))
          .as("bit flipped in byte %d", index)
          .isInstanceOf(InvalidSignatureException.class);
    }
  }

  @Test
  void rejectsTheSignatureOfAnotherKey() {
    Ed25519Vector one = Vectors.rfc8032().get(0);
    Ed25519Vector two = Vectors.rfc8032().get(1);

    assertThatThrownBy(() -> VerifyingKey.fromRaw(two.publicKey()).verify(one.message(), one.signature()))
        .isInstanceOf(InvalidSignatureException.class);
  }

  @Test
  void rejectsSignaturesOfTheWrongLengthBeforeVerifying() {
    VerifyingKey key = seeded(1).verifyingKey();

    for (int length : new int[] {0, 63, 65, 128}) {
      assertThatThrownBy(() -> key.verify(new byte[0], new byte[length]))
          .isInstanceOf(InvalidSignatureException.class)
          .hasMessage("an Ed25519 signature is 64 bytes, found " + length + " bytes");
    }
  }

  @Test
  void rejectsPublicKeysOfTheWrongLength() {
    assertThatThrownBy(() -> VerifyingKey.fromRaw(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an Ed25519 public key is 32 bytes, found 31 bytes");
    assertThatThrownBy(() -> VerifyingKey.fromRaw(new byte[33]))
        .hasMessage("an Ed25519 public key is 32 bytes, found 33 bytes");
  }

  @Test
  void rejectsTheSmallOrderIdentityPointAsAPublicKey() {
    // The neutral element (y = 1): every signature with R = identity and S = 0 would "verify".
    byte[] identity = new byte[32];
    identity[0] = 1;

    assertThatThrownBy(() -> VerifyingKey.fromRaw(identity))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an Ed25519 public key");
  }

  @Test
  void namesAKeyByTheFirstEightBytesOfTheSha256OfItsRawBytes() throws Exception {
    Ed25519Vector v = Vectors.rfc8032Test1();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(v.publicKey());

    KeyId id = VerifyingKey.fromRaw(v.publicKey()).keyId();

    assertThat(id.value()).isEqualTo(HexFormat.of().formatHex(digest, 0, 8)).hasSize(16);
    assertThat(KeyId.of(VerifyingKey.fromRaw(v.publicKey()))).isEqualTo(id);
    assertThat(SigningKey.fromSeed(v.seed()).keyId()).isEqualTo(id);
  }

  @Test
  void parsesKeyIdsOnlyAsSixteenLowerCaseHexCharacters() {
    assertThat(KeyId.parse("0123456789abcdef").value()).isEqualTo("0123456789abcdef");
    assertThatThrownBy(() -> KeyId.parse("0123456789ABCDEF"))
        .hasMessage("a key id is 16 lower-case hex characters (0-9, a-f), found 16 characters"
            + " that are not all lower-case hex");
    assertThatThrownBy(() -> KeyId.parse("0123456789abcde"))
        .hasMessage("a key id is 16 lower-case hex characters (0-9, a-f), found 15 characters");
    assertThatThrownBy(() -> KeyId.parse(" 0123456789abcde")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void generatesDistinctKeysThatSignAndVerify() throws Exception {
    SigningKey a = seeded(1);
    SigningKey b = seeded(2);
    byte[] message = "zvo-midden v3".getBytes(StandardCharsets.UTF_8);

    assertThat(a.keyId()).isNotEqualTo(b.keyId());
    a.verifyingKey().verify(message, a.sign(message));
    assertThatThrownBy(() -> b.verifyingKey().verify(message, a.sign(message)))
        .isInstanceOf(InvalidSignatureException.class);
  }

  @Test
  void theJdkVerifiesABouncyCastleSignature() throws Exception {
    SigningKey key = seeded(3);
    byte[] message = "DSSEv1 4 type 7 payload".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = key.sign(message);

    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(java.security.KeyFactory.getInstance("Ed25519")
        .generatePublic(new java.security.spec.X509EncodedKeySpec(spki(key.verifyingKey()))));
    jdk.update(message);

    assertThat(jdk.verify(signature)).isTrue();
  }

  @Test
  void bouncyCastleVerifiesAJdkSignature() throws Exception {
    var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    VerifyingKey key = VerifyingKey.fromRaw(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    byte[] message = "hello".getBytes(StandardCharsets.US_ASCII);
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(pair.getPrivate());
    jdk.update(message);

    assertThatCode(() -> key.verify(message, jdk.sign())).doesNotThrowAnyException();
  }

  @Test
  void neverShowsPrivateKeyMaterialInToString() {
    Ed25519Vector v = Vectors.rfc8032Test1();
    SigningKey key = SigningKey.fromSeed(v.seed());
    String seedHex = HexFormat.of().formatHex(v.seed());

    assertThat(key.toString())
        .isEqualTo("SigningKey[" + key.keyId() + ", private part redacted]")
        .doesNotContain(seedHex.substring(0, 8));
  }

  @Test
  void keysWithTheSameBytesAreEqual() {
    Ed25519Vector v = Vectors.rfc8032Test1();

    assertThat(VerifyingKey.fromRaw(v.publicKey())).isEqualTo(SigningKey.fromSeed(v.seed()).verifyingKey())
        .hasSameHashCodeAs(SigningKey.fromSeed(v.seed()).verifyingKey());
  }

  /** The RFC 8410 SubjectPublicKeyInfo: a fixed 12-byte prefix, then the raw key. */
  static byte[] spki(VerifyingKey key) {
    byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
    byte[] out = Arrays.copyOf(prefix, prefix.length + 32);
    System.arraycopy(key.raw(), 0, out, prefix.length, 32);
    return out;
  }
}
