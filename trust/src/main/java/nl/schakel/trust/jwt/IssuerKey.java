package nl.schakel.trust.jwt;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Objects;
import java.util.Optional;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * One public key of an issuer, of one of the three key types credential signatures use. A key
 * verifies only the algorithms of its type, so an RSA key can never be made to check an ES256
 * signature (the JWT "algorithm confusion" family of attacks), and a key whose JWK declared an
 * "alg" verifies only that one.
 */
sealed interface IssuerKey {

  /** The JWK "kid", or for an Ed25519 PEM key its {@code KeyId}; empty for other PEM keys. */
  Optional<String> kid();

  /** The JWK "alg" this key is restricted to, if its JWK named one. */
  Optional<JwsAlgorithm> restrictedTo();

  /** Whether this key may check a signature of {@code alg}. */
  default boolean fits(JwsAlgorithm alg) {
    return typeFits(alg) && restrictedTo().map(alg::equals).orElse(true);
  }

  boolean typeFits(JwsAlgorithm alg);

  /** "Ed25519", "EC P-256", "RSA": for messages. */
  String type();

  /**
   * Checks {@code signature} over {@code signingInput} with this key and {@code alg}.
   *
   * @throws InvalidSignatureException if it does not verify, or {@code alg} does not fit
   */
  void verify(JwsAlgorithm alg, byte[] signingInput, byte[] signature)
      throws InvalidSignatureException;

  /** An Ed25519 key, checked by Bouncy Castle (about six times faster than the JDK here). */
  record Ed25519(VerifyingKey key, Optional<String> kid, Optional<JwsAlgorithm> restrictedTo)
      implements IssuerKey {
    public Ed25519 {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean typeFits(JwsAlgorithm alg) {
      return alg == JwsAlgorithm.EDDSA;
    }

    @Override
    public String type() {
      return "Ed25519";
    }

    @Override
    public void verify(JwsAlgorithm alg, byte[] signingInput, byte[] signature)
        throws InvalidSignatureException {
      requireFits(this, alg);
      key.verify(signingInput, signature);
    }
  }

  /** An ECDSA P-256 key. */
  record EcP256(ECPublicKey key, Optional<String> kid, Optional<JwsAlgorithm> restrictedTo)
      implements IssuerKey {
    /** r || s, 32 bytes each (RFC 7518 section 3.4): never DER. */
    static final int SIGNATURE_LEN = 64;

    public EcP256 {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean typeFits(JwsAlgorithm alg) {
      return alg == JwsAlgorithm.ES256;
    }

    @Override
    public String type() {
      return "EC P-256";
    }

    @Override
    public void verify(JwsAlgorithm alg, byte[] signingInput, byte[] signature)
        throws InvalidSignatureException {
      requireFits(this, alg);
      if (signature.length != SIGNATURE_LEN) {
        throw new InvalidSignatureException(
            "an ES256 signature is " + SIGNATURE_LEN + " bytes (r || s), found " + signature.length);
      }
      check("SHA256withECDSAinP1363Format", null, key, signingInput, signature);
    }
  }

  /** An RSA key of at least {@value IssuerKeys#MIN_RSA_BITS} bits. */
  record Rsa(RSAPublicKey key, Optional<String> kid, Optional<JwsAlgorithm> restrictedTo)
      implements IssuerKey {
    public Rsa {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean typeFits(JwsAlgorithm alg) {
      return alg == JwsAlgorithm.RS256 || alg == JwsAlgorithm.PS256;
    }

    @Override
    public String type() {
      return "RSA";
    }

    @Override
    public void verify(JwsAlgorithm alg, byte[] signingInput, byte[] signature)
        throws InvalidSignatureException {
      requireFits(this, alg);
      int modulusBytes = (key.getModulus().bitLength() + 7) / 8;
      if (signature.length != modulusBytes) {
        throw new InvalidSignatureException(
            "an " + alg.jwsName() + " signature with this key is " + modulusBytes
                + " bytes, found " + signature.length);
      }
      if (alg == JwsAlgorithm.RS256) {
        check("SHA256withRSA", null, key, signingInput, signature);
      } else {
        check(
            "RSASSA-PSS",
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1),
            key, signingInput, signature);
      }
    }
  }

  private static void requireFits(IssuerKey key, JwsAlgorithm alg) throws InvalidSignatureException {
    if (!key.fits(alg)) {
      throw new InvalidSignatureException(
          "a " + key.type() + " key" + key.restrictedTo().map(a -> " for " + a.jwsName()).orElse("")
              + " does not verify " + alg.jwsName() + " signatures");
    }
  }

  private static void check(
      String algorithm,
      PSSParameterSpec pss,
      PublicKey key,
      byte[] signingInput,
      byte[] signature)
      throws InvalidSignatureException {
    boolean valid;
    try {
      Signature verifier = Signature.getInstance(algorithm);
      if (pss != null) {
        verifier.setParameter(pss);
      }
      verifier.initVerify(key);
      verifier.update(signingInput);
      valid = verifier.verify(signature);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available in this Java runtime", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A malformed signature (e.g. r or s out of range) is simply not a valid one.
      valid = false;
    }
    if (!valid) {
      throw new InvalidSignatureException("signature does not verify with this " + algorithm + " key");
    }
  }
}
