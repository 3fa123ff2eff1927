package nl.schakel.trust.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import nl.schakel.trust.sign.SigningKey;

/**
 * Tokens signed the way OIDC providers sign them, with JDK keys (ES256, RS256, PS256) or an
 * Ed25519 {@link SigningKey}, so that tests can build exactly the token a case needs.
 */
final class TestTokens {

  static final String ISSUER = "https://login.politie.example/realms/politie";
  static final String AUDIENCE = "schakel";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {}

  /** Signs the JWS signing input. */
  interface Signer {
    byte[] sign(byte[] input) throws GeneralSecurityException;
  }

  /** Claim members as raw JSON values, in insertion order. */
  static final class Claims {
    private final Map<String, String> members = new LinkedHashMap<>();

    /** The claims of a politie analyst, issued at {@code iat}, living 5 minutes. */
    static Claims politie(Instant iat) {
      return new Claims()
          .with("iss", quote(ISSUER))
          .with("aud", quote(AUDIENCE))
          .with("sub", quote("agent.jansen"))
          .with("org", quote("politie"))
          .with("name", quote("agent.jansen"))
          .with("roles", "[\"analist\",\"teamleider\"]")
          .with("iat", Long.toString(iat.getEpochSecond()))
          .with("nbf", Long.toString(iat.getEpochSecond()))
          .with("exp", Long.toString(iat.getEpochSecond() + 300));
    }

    Claims with(String name, String rawJson) {
      members.put(name, rawJson);
      return this;
    }

    Claims without(String name) {
      members.remove(name);
      return this;
    }

    String json() {
      return members.entrySet().stream()
          .map(e -> quote(e.getKey()) + ":" + e.getValue())
          .collect(Collectors.joining(",", "{", "}"));
    }
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String header(String alg, String kid) {
    return "{\"alg\":" + quote(alg) + ",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":" + quote(kid)) + "}";
  }

  static String token(String headerJson, String claimsJson, Signer signer) {
    String input = b64(headerJson) + "." + b64(claimsJson);
    try {
      return input + "." + B64.encodeToString(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static Signer eddsa(SigningKey key) {
    return key::sign;
  }

  static Signer es256(PrivateKey key) {
    return jdk("SHA256withECDSAinP1363Format", null, key);
  }

  static Signer rs256(PrivateKey key) {
    return jdk("SHA256withRSA", null, key);
  }

  static Signer ps256(PrivateKey key) {
    return jdk("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), key);
  }

  private static Signer jdk(String algorithm, PSSParameterSpec pss, PrivateKey key) {
    return input -> {
      Signature signature = Signature.getInstance(algorithm);
      if (pss != null) {
        signature.setParameter(pss);
      }
      signature.initSign(key);
      signature.update(input);
      return signature.sign();
    };
  }

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String ecJwk(ECPublicKey key, String kid) {
    return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":" + quote(kid)
        + ",\"x\":" + quote(B64.encodeToString(fixed(key.getW().getAffineX(), 32)))
        + ",\"y\":" + quote(B64.encodeToString(fixed(key.getW().getAffineY(), 32))) + "}";
  }

  static String rsaJwk(RSAPublicKey key, String kid, String alg) {
    return "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":" + quote(kid)
        + (alg == null ? "" : ",\"alg\":" + quote(alg))
        + ",\"n\":" + quote(B64.encodeToString(unsigned(key.getModulus())))
        + ",\"e\":" + quote(B64.encodeToString(unsigned(key.getPublicExponent()))) + "}";
  }

  static String okpJwk(SigningKey key, String kid) {
    return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":" + quote(kid)
        + ",\"x\":" + quote(B64.encodeToString(key.verifyingKey().raw())) + "}";
  }

  static String jwks(String... keys) {
    return "{\"keys\":[" + String.join(",", keys) + "]}";
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  static byte[] fixed(BigInteger value, int length) {
    byte[] bytes = unsigned(value);
    byte[] out = new byte[length];
    System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
    return out;
  }
}
