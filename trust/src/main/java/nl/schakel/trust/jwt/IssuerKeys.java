package nl.schakel.trust.jwt;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import nl.schakel.trust.jwt.JsonReader.MalformedJsonException;
import nl.schakel.trust.sign.VerifyingKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The public keys of one party's credential issuer, from PEM files ("PUBLIC KEY",
 * SubjectPublicKeyInfo) and/or a JWK Set (RFC 7517), as an OIDC provider publishes at its
 * {@code jwks_uri}. Supported: OKP/Ed25519, EC/P-256 and RSA of at least {@value #MIN_RSA_BITS}
 * bits. Immutable.
 *
 * <p>Keys are never fetched: a node reads them from its own configuration, so a gateway (or
 * a token's {@code jku} header) cannot substitute an issuer's keys.
 */
public final class IssuerKeys {

  /** RSA keys shorter than this are refused (NIST SP 800-131A). */
  public static final int MIN_RSA_BITS = 2048;
  /** RSA keys longer than this are refused: each would cost a verifier milliseconds per token. */
  public static final int MAX_RSA_BITS = 8192;
  /** Most keys one issuer may have: a JWK Set rotates a few keys, not hundreds. */
  public static final int MAX_KEYS = 32;

  private static final int MAX_FILE_BYTES = 1024 * 1024;
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
  private static final int P256_COORDINATE_LEN = 32;

  private final List<IssuerKey> keys;

  private IssuerKeys(List<IssuerKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("an issuer needs at least one usable public key");
    }
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException(
          "an issuer may have at most " + MAX_KEYS + " keys, found " + keys.size());
    }
    this.keys = List.copyOf(keys);
  }

  /** One Ed25519 key, named (kid) by its {@link VerifyingKey#keyId()} as the demo issuer does. */
  public static IssuerKeys of(VerifyingKey key) {
    return new IssuerKeys(
        List.of(new IssuerKey.Ed25519(key, Optional.of(key.keyId().value()), Optional.empty())));
  }

  /**
   * The key in a "PUBLIC KEY" PEM file: Ed25519 (kid: its key id, as the demo issuer names it),
   * EC P-256 or RSA (no kid: it fits tokens whose kid no other key claims).
   *
   * @throws IOException if unreadable, not exactly one "PUBLIC KEY" block, or another key type
   */
  public static IssuerKeys readPem(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    String text = readSmall(file);
    PemObject block;
    PemObject extra;
    try (PemReader reader = new PemReader(new StringReader(text))) {
      block = reader.readPemObject();
      extra = block == null ? null : reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a readable PEM file");
    }
    if (block == null || extra != null || !block.getType().equals("PUBLIC KEY")) {
      throw new IOException(
          file + " must hold exactly one \"-----BEGIN PUBLIC KEY-----\" block (SubjectPublicKeyInfo)");
    }
    try {
      return new IssuerKeys(List.of(fromSpki(block.getContent())));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /**
   * The keys of a JWK Set document. Keys of types this verifier does not understand (other
   * curves, encryption keys with {@code "use":"enc"}, algorithms other than EdDSA, ES256, RS256
   * and PS256) are skipped, as RFC 7517 section 5 asks; a key of a supported type that is
   * malformed is an error, as is a key carrying private material.
   *
   * @throws IllegalArgumentException naming the offending member, e.g. {@code keys[1].x}
   */
  public static IssuerKeys fromJwks(String json) {
    Objects.requireNonNull(json, "json");
    Map<String, Object> document;
    try {
      document = JsonReader.readObject(json);
    } catch (MalformedJsonException e) {
      throw new IllegalArgumentException("JWK Set is not valid JSON: " + e.getMessage());
    }
    if (!(document.get("keys") instanceof List<?> entries)) {
      throw new IllegalArgumentException("a JWK Set must have a \"keys\" array (RFC 7517 section 5)");
    }
    List<IssuerKey> keys = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "keys[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> jwk)) {
        throw new IllegalArgumentException(where + " must be a JSON object");
      }
      fromJwk(jwk, where).ifPresent(keys::add);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "the JWK Set holds no usable signing key (OKP Ed25519, EC P-256 or RSA); found "
              + entries.size() + " keys of other types or uses");
    }
    return new IssuerKeys(keys);
  }

  /**
   * An issuer's keys as an operator configures them: "PUBLIC KEY" PEM files and/or one saved JWK
   * Set. The one place node and gateway read their {@code analysts:} keys.
   *
   * @throws IOException if a file is unreadable or invalid
   * @throws IllegalArgumentException if neither a PEM file nor a JWK Set is given
   */
  public static IssuerKeys read(List<Path> pems, Optional<Path> jwks) throws IOException {
    IssuerKeys keys = null;
    for (Path pem : pems) {
      IssuerKeys k = readPem(pem);
      keys = keys == null ? k : keys.and(k);
    }
    if (jwks.isPresent()) {
      IssuerKeys k = readJwks(jwks.get());
      keys = keys == null ? k : keys.and(k);
    }
    if (keys == null) {
      throw new IllegalArgumentException("an issuer needs at least one key: PEM files under keys, or a jwks file");
    }
    return keys;
  }

  /**
   * The keys of a JWK Set file, e.g. a saved copy of an OIDC provider's {@code jwks_uri}.
   *
   * @throws IOException if unreadable or not a valid JWK Set (see {@link #fromJwks(String)})
   */
  public static IssuerKeys readJwks(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try {
      return fromJwks(readSmall(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /** These keys and {@code other}'s, e.g. a PEM key beside a JWK Set during a migration. */
  public IssuerKeys and(IssuerKeys other) {
    List<IssuerKey> all = new ArrayList<>(keys);
    all.addAll(other.keys);
    return new IssuerKeys(all);
  }

  /** How many keys there are. */
  public int size() {
    return keys.size();
  }

  List<IssuerKey> keys() {
    return keys;
  }

  private static Optional<IssuerKey> fromJwk(Map<?, ?> jwk, String where) {
    if (jwk.containsKey("d") || jwk.containsKey("p") || jwk.containsKey("q")) {
      throw new IllegalArgumentException(
          where + " holds private key material; an issuer's JWK Set must hold public keys only");
    }
    String kty = text(jwk, "kty", where).orElseThrow(
        () -> new IllegalArgumentException(where + " must have a \"kty\" string"));
    Optional<String> use = text(jwk, "use", where);
    if (use.isPresent() && !use.get().equals("sig")) {
      return Optional.empty();
    }
    Optional<String> alg = text(jwk, "alg", where);
    Optional<JwsAlgorithm> restrictedTo = alg.flatMap(JwsAlgorithm::named);
    if (alg.isPresent() && restrictedTo.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> kid = text(jwk, "kid", where);
    IssuerKey key;
    switch (kty) {
      case "OKP" -> {
        if (!"Ed25519".equals(text(jwk, "crv", where).orElse(""))) {
          return Optional.empty();
        }
        byte[] x = bytes(jwk, "x", where);
        try {
          key = new IssuerKey.Ed25519(VerifyingKey.fromRaw(x), kid, restrictedTo);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ".x: " + e.getMessage());
        }
      }
      case "EC" -> {
        if (!"P-256".equals(text(jwk, "crv", where).orElse(""))) {
          return Optional.empty();
        }
        byte[] x = bytes(jwk, "x", where);
        byte[] y = bytes(jwk, "y", where);
        if (x.length != P256_COORDINATE_LEN || y.length != P256_COORDINATE_LEN) {
          throw new IllegalArgumentException(
              where + ": P-256 coordinates x and y are " + P256_COORDINATE_LEN
                  + " bytes each (RFC 7518 section 6.2.1.2), found " + x.length + " and " + y.length);
        }
        key = new IssuerKey.EcP256(
            p256(new BigInteger(1, x), new BigInteger(1, y), where), kid, restrictedTo);
      }
      case "RSA" -> key = new IssuerKey.Rsa(
          rsa(new BigInteger(1, bytes(jwk, "n", where)), new BigInteger(1, bytes(jwk, "e", where)), where),
          kid, restrictedTo);
      default -> {
        return Optional.empty();
      }
    }
    if (!key.restrictedTo().map(key::typeFits).orElse(true)) {
      throw new IllegalArgumentException(
          where + " is a " + key.type() + " key but declares alg " + alg.get());
    }
    return Optional.of(key);
  }

  private static IssuerKey fromSpki(byte[] der) {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the PUBLIC KEY block is not a SubjectPublicKeyInfo (RFC 5280)");
    }
    ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
    try {
      if (algorithm.equals(ID_ED25519)) {
        VerifyingKey key = VerifyingKey.fromRaw(info.getPublicKeyData().getOctets());
        return new IssuerKey.Ed25519(key, Optional.of(key.keyId().value()), Optional.empty());
      }
      if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        if (!X9ObjectIdentifiers.prime256v1.toASN1Primitive()
            .equals(info.getAlgorithm().getParameters())) {
          throw new IllegalArgumentException("an EC issuer key must be on curve P-256 (prime256v1)");
        }
        ECPublicKey decoded =
            (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        return new IssuerKey.EcP256(
            p256(decoded.getW().getAffineX(), decoded.getW().getAffineY(), "the key"),
            Optional.empty(), Optional.empty());
      }
      if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        RSAPublicKey decoded =
            (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        return new IssuerKey.Rsa(
            rsa(decoded.getModulus(), decoded.getPublicExponent(), "the key"),
            Optional.empty(), Optional.empty());
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the PUBLIC KEY block cannot be decoded as " + algorithm);
    }
    throw new IllegalArgumentException(
        "an issuer key must be Ed25519, EC P-256 or RSA, found algorithm " + algorithm);
  }

  /**
   * A P-256 public key, checked to be on the curve: the JDK does not check a point it is given,
   * and a verifier should not compute with one that is not a valid key.
   */
  private static ECPublicKey p256(BigInteger x, BigInteger y, String where) {
    try {
      ECNamedCurveTable.getByName("P-256").getCurve().validatePoint(x, y);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": (x, y) is not a point on P-256");
    }
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA P-256 is not available in this Java runtime", e);
    }
  }

  private static RSAPublicKey rsa(BigInteger n, BigInteger e, String where) {
    if (n.bitLength() < MIN_RSA_BITS || n.bitLength() > MAX_RSA_BITS) {
      throw new IllegalArgumentException(
          where + ": an RSA issuer key must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS
              + " bits, found " + n.bitLength());
    }
    if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.bitLength() > 32) {
      throw new IllegalArgumentException(
          where + ": an RSA public exponent must be odd, at least 3 and at most 32 bits");
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw new IllegalArgumentException(where + ": not a valid RSA public key");
    }
  }

  private static Optional<String> text(Map<?, ?> jwk, String member, String where) {
    Object value = jwk.get(member);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(where + "." + member + " must be a string");
    }
    return Optional.of(s);
  }

  private static byte[] bytes(Map<?, ?> jwk, String member, String where) {
    String value = text(jwk, member, where).orElseThrow(
        () -> new IllegalArgumentException(where + " must have \"" + member + "\" (base64url)"));
    try {
      return Base64Url.decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + member + ": " + e.getMessage());
    }
  }

  private static String readSmall(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes; a key file is a few KiB");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    List<String> described = new ArrayList<>();
    for (IssuerKey key : keys) {
      described.add(key.type() + key.kid().map(k -> " kid=" + k).orElse(""));
    }
    return "IssuerKeys" + described;
  }
}
