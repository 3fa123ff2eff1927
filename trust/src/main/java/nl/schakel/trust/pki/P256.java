package nl.schakel.trust.pki;

import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/**
 * ECDSA over NIST P-256 (secp256r1), the federation's TLS and CA algorithm: Netty's OpenSSL path
 * rejects EdDSA TLS keys (netty issue 10916), and every TLS stack speaks P-256.
 */
final class P256 {

  static final String CURVE = "secp256r1";
  static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private P256() {}

  static KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA P-256 is not available in this Java runtime", e);
    }
  }

  /** Whether {@code key} is an EC key on P-256, compared by the curve's defining numbers. */
  static boolean isP256(Object key) {
    if (!(key instanceof ECKey ec)) {
      return false;
    }
    ECParameterSpec p256 = spec();
    ECParameterSpec params = ec.getParams();
    return params.getCurve().equals(p256.getCurve())
        && params.getGenerator().equals(p256.getGenerator())
        && params.getOrder().equals(p256.getOrder())
        && params.getCofactor() == p256.getCofactor();
  }

  /**
   * Whether the two halves belong together, by a signature made with one and checked with the
   * other: a CA key beside someone else's certificate would otherwise surface only when a
   * verifier rejects what it issued.
   */
  static boolean pairs(PrivateKey privateKey, PublicKey publicKey, SecureRandom random) {
    try {
      byte[] probe = "schakel key pair check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
      signer.initSign(privateKey, random);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static ECParameterSpec spec() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(CURVE));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA P-256 is not available in this Java runtime", e);
    }
  }
}
