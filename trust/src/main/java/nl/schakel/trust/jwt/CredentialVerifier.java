package nl.schakel.trust.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import nl.schakel.trust.jwt.CredentialException.Reason;
import nl.schakel.trust.jwt.JsonReader.MalformedJsonException;
import nl.schakel.trust.sign.InvalidSignatureException;

/**
 * Verifies analyst credentials (compact JWS JWTs, RFC 7515 and 7519) the way a node must: by
 * itself, with the issuer configured for the party the question is asked for, never taking the
 * gateway's word. Thread-safe.
 *
 * <p>A credential is accepted only if it is at most {@value #MAX_TOKEN_CHARS} characters, its
 * header names EdDSA, ES256, RS256 or PS256 and no {@code crit}, a key of that party's issuer of
 * the matching type verifies its signature, and then its claims say: {@code iss} that issuer,
 * {@code org} that party, {@code aud} containing the configured audience, a non-empty {@code
 * sub}, {@code roles} an array of strings, {@code exp} in the future, {@code iat} and {@code nbf}
 * not beyond {@link #CLOCK_SKEW} in the future, and {@code exp - iat} at most {@link
 * #MAX_LIFETIME}: credentials travel to nodes inside questions, so a stolen one must be useless
 * within minutes.
 *
 * <p>Verified credentials are cached until their {@code exp} under the SHA-256 of the token,
 * never the token itself; a cached credential is still checked against the party and the time.
 */
public final class CredentialVerifier {

  /** Longest token accepted: an analyst JWT is under 1 KiB; 8 KiB bounds parsing work. */
  public static final int MAX_TOKEN_CHARS = 8 * 1024;
  /** Longest lifetime ({@code exp - iat}) of a credential that travels to nodes. */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  /** How far in the future {@code iat} and {@code nbf} may lie: clocks of hosts differ. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** Verified credentials kept at most; each lives at most {@link #MAX_LIFETIME}. */
  static final int CACHE_SIZE = 10_000;
  /** RFC 7519 NumericDate values beyond year 9999 are not dates. */
  private static final long MAX_NUMERIC_DATE = 253_402_300_799L;
  private static final Set<String> ACCEPTED_TYPES = Set.of("JWT", "at+jwt", "application/at+jwt");

  private final Map<String, Issuer> issuersByParty;
  private final Cache<String, Cached> cache;
  private final AtomicLong signatureChecks = new AtomicLong();

  private record Cached(VerifiedCredential credential, Instant nbf, Instant verifiedAt) {}

  private CredentialVerifier(Map<String, Issuer> issuersByParty) {
    this.issuersByParty = issuersByParty;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(CACHE_SIZE)
            .expireAfter(
                new Expiry<String, Cached>() {
                  @Override
                  public long expireAfterCreate(String key, Cached value, long currentTime) {
                    Duration left =
                        Duration.between(value.verifiedAt(), value.credential().expiresAt());
                    return Math.max(0, left.toNanos());
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, Cached value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }

                  @Override
                  public long expireAfterRead(
                      String key, Cached value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  /**
   * A verifier for these issuers, one per party.
   *
   * @throws IllegalArgumentException if two issuers are configured for one party
   */
  public static CredentialVerifier create(Collection<Issuer> issuers) {
    Map<String, Issuer> byParty = new LinkedHashMap<>();
    for (Issuer issuer : issuers) {
      if (byParty.putIfAbsent(issuer.party(), issuer) != null) {
        throw new IllegalArgumentException(
            "party " + issuer.party() + " has two issuers configured; a party has exactly one");
      }
    }
    return new CredentialVerifier(Map.copyOf(byParty));
  }

  /**
   * Verifies {@code compactJws} as a credential of an analyst of {@code expectedParty} at {@code
   * now}, with the issuer configured for {@code expectedParty} only.
   *
   * @throws CredentialException if it is refused; the reason says why
   */
  public VerifiedCredential verify(String compactJws, String expectedParty, Instant now)
      throws CredentialException {
    Objects.requireNonNull(expectedParty, "expectedParty");
    Objects.requireNonNull(now, "now");
    if (compactJws == null || compactJws.isBlank()) {
      throw new CredentialException(Reason.MISSING, "no credential was presented");
    }
    if (compactJws.length() > MAX_TOKEN_CHARS) {
      throw new CredentialException(
          Reason.MALFORMED,
          "credential is " + compactJws.length() + " characters; at most " + MAX_TOKEN_CHARS
              + " are accepted");
    }
    String hash = sha256Hex(compactJws);
    Cached cached = cache.getIfPresent(hash);
    if (cached == null) {
      cached = verifyUncached(compactJws, hash, expectedParty, now);
      cache.put(hash, cached);
    }
    VerifiedCredential credential = cached.credential();
    // Cached or not, the credential must fit this question: this party, this moment.
    if (!credential.party().equals(expectedParty)) {
      throw wrongParty(credential.party(), expectedParty);
    }
    checkTime(credential.issuedAt(), cached.nbf(), credential.expiresAt(), now);
    return credential;
  }

  /** How many signature checks this verifier has made: cache hits make none. For tests. */
  long signatureChecks() {
    return signatureChecks.get();
  }

  private Cached verifyUncached(String token, String hash, String expectedParty, Instant now)
      throws CredentialException {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new CredentialException(
          Reason.MALFORMED,
          "a credential is a compact JWS: three base64url parts separated by '.', found "
              + parts.length + " parts");
    }
    Map<String, Object> header = json(parts[0], "header");
    JwsAlgorithm alg = algorithm(header);
    if (header.containsKey("crit")) {
      throw new CredentialException(
          Reason.MALFORMED,
          "header has \"crit\": no critical JWS extension is supported (RFC 7515 section 4.1.11)");
    }
    if (header.containsKey("typ")
        && !(header.get("typ") instanceof String typ && ACCEPTED_TYPES.contains(typ))) {
      throw new CredentialException(
          Reason.MALFORMED, "header \"typ\" must be JWT or at+jwt when present");
    }
    Optional<String> kid = optionalText(header, "kid", "header");

    Issuer issuer = issuersByParty.get(expectedParty);
    if (issuer == null) {
      throw new CredentialException(
          Reason.WRONG_ISSUER,
          "no credential issuer is configured for party " + printable(expectedParty));
    }
    byte[] signature = decode(parts[2], "signature");
    byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    verifySignature(issuer, alg, kid, signingInput, signature);

    // Only now, with the signature checked, are the claims read.
    Map<String, Object> claims = json(parts[1], "claims");
    String iss = requiredText(claims, "iss");
    if (!iss.equals(issuer.issuer())) {
      throw new CredentialException(
          Reason.WRONG_ISSUER,
          "credential issuer is '" + printable(iss) + "', expected '" + issuer.issuer()
              + "', the issuer configured for party " + expectedParty);
    }
    String org = requiredText(claims, "org");
    if (!org.equals(expectedParty)) {
      throw wrongParty(org, expectedParty);
    }
    if (!audiences(claims).contains(issuer.audience())) {
      throw new CredentialException(
          Reason.WRONG_AUDIENCE,
          "credential audience does not include '" + issuer.audience() + "'");
    }
    Instant exp = numericDate(claims, "exp").orElseThrow(() -> missing("exp"));
    Instant iat = numericDate(claims, "iat").orElseThrow(() -> missing("iat"));
    Optional<Instant> nbf = numericDate(claims, "nbf");
    if (!exp.isAfter(iat)) {
      throw new CredentialException(
          Reason.MALFORMED, "credential expires (exp " + exp + ") before it is issued (iat " + iat + ")");
    }
    Duration lifetime = Duration.between(iat, exp);
    if (lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new CredentialException(
          Reason.TOO_LONG_LIVED,
          "credential lives " + lifetime + " (exp - iat); credentials that travel to nodes may"
              + " live at most " + MAX_LIFETIME + ": ask the issuer for a shorter-lived token");
    }
    checkTime(iat, nbf.orElse(iat), exp, now);
    String sub = requiredText(claims, "sub");
    List<String> roles = roles(claims);
    VerifiedCredential credential = new VerifiedCredential(org, sub, roles, iat, exp, hash);
    return new Cached(credential, nbf.orElse(iat), now);
  }

  private void verifySignature(
      Issuer issuer, JwsAlgorithm alg, Optional<String> kid, byte[] signingInput, byte[] signature)
      throws CredentialException {
    List<IssuerKey> named = new ArrayList<>();
    List<IssuerKey> unnamed = new ArrayList<>();
    for (IssuerKey key : issuer.keys().keys()) {
      if (key.kid().isEmpty()) {
        unnamed.add(key);
      } else if (kid.isEmpty() || key.kid().equals(kid)) {
        named.add(key);
      }
    }
    // A kid picks its key; keys without a kid (PEM files) stand in when no key claims the kid.
    List<IssuerKey> candidates = new ArrayList<>(kid.isPresent() && !named.isEmpty() ? named : unnamed);
    if (kid.isEmpty()) {
      candidates.addAll(named);
    }
    if (candidates.isEmpty()) {
      throw new CredentialException(
          Reason.UNKNOWN_KEY,
          "the issuer of party " + issuer.party() + " has no key with kid '"
              + printable(kid.orElse("")) + "'");
    }
    List<IssuerKey> fitting = candidates.stream().filter(key -> key.fits(alg)).toList();
    if (fitting.isEmpty()) {
      throw new CredentialException(
          Reason.INVALID_SIGNATURE,
          "credential is signed with " + alg.jwsName() + ", but the issuer's key"
              + kid.map(k -> " '" + printable(k) + "'").orElse("s") + " of party "
              + issuer.party() + " cannot verify that algorithm (" + describe(candidates) + ")");
    }
    for (IssuerKey key : fitting) {
      signatureChecks.incrementAndGet();
      try {
        key.verify(alg, signingInput, signature);
        return;
      } catch (InvalidSignatureException e) {
        // Try the next key of the issuer; none left means the signature is bad.
      }
    }
    throw new CredentialException(
        Reason.INVALID_SIGNATURE,
        "credential's " + alg.jwsName() + " signature does not verify with "
            + (fitting.size() == 1 ? "the key" : "any of the " + fitting.size() + " keys")
            + " of the issuer of party " + issuer.party());
  }

  private static JwsAlgorithm algorithm(Map<String, Object> header) throws CredentialException {
    if (!(header.get("alg") instanceof String alg)) {
      throw new CredentialException(Reason.MALFORMED, "header must have an \"alg\" string");
    }
    if (alg.equalsIgnoreCase("none")) {
      throw new CredentialException(
          Reason.INVALID_SIGNATURE, "unsigned credentials (alg none) are never accepted");
    }
    return JwsAlgorithm.named(alg).orElseThrow(
        () -> new CredentialException(
            Reason.INVALID_SIGNATURE,
            "credential is signed with '" + printable(alg) + "'; accepted are "
                + JwsAlgorithm.accepted()));
  }

  private static void checkTime(Instant iat, Instant nbf, Instant exp, Instant now)
      throws CredentialException {
    if (!now.isBefore(exp)) {
      throw new CredentialException(
          Reason.EXPIRED, "credential expired at " + exp + "; it is " + now);
    }
    Instant latest = now.plus(CLOCK_SKEW);
    Instant start = iat.isAfter(nbf) ? iat : nbf;
    if (start.isAfter(latest)) {
      throw new CredentialException(
          Reason.NOT_YET_VALID,
          "credential is valid from " + start + " (iat/nbf); it is " + now + ", and clocks may"
              + " differ by " + CLOCK_SKEW + " at most");
    }
  }

  private static Map<String, Object> json(String part, String what) throws CredentialException {
    byte[] bytes = decode(part, what);
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new CredentialException(Reason.MALFORMED, "credential " + what + " is not UTF-8");
    }
    try {
      return JsonReader.readObject(text);
    } catch (MalformedJsonException e) {
      throw new CredentialException(
          Reason.MALFORMED, "credential " + what + " is not a JSON object: " + e.getMessage());
    }
  }

  private static byte[] decode(String part, String what) throws CredentialException {
    if (part.isEmpty()) {
      throw new CredentialException(Reason.MALFORMED, "credential " + what + " is empty");
    }
    try {
      return Base64Url.decode(part);
    } catch (IllegalArgumentException e) {
      throw new CredentialException(Reason.MALFORMED, "credential " + what + ": " + e.getMessage());
    }
  }

  private static String requiredText(Map<String, Object> claims, String name)
      throws CredentialException {
    Object value = claims.get(name);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new CredentialException(
          Reason.MALFORMED, "claim \"" + name + "\" must be a non-empty string");
    }
    return text;
  }

  private static Optional<String> optionalText(Map<String, Object> object, String name, String where)
      throws CredentialException {
    Object value = object.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw new CredentialException(Reason.MALFORMED, where + " \"" + name + "\" must be a string");
    }
    return Optional.of(text);
  }

  private static List<String> audiences(Map<String, Object> claims) throws CredentialException {
    Object aud = claims.get("aud");
    if (aud instanceof String single) {
      return List.of(single);
    }
    if (aud instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new CredentialException(
        Reason.WRONG_AUDIENCE, "claim \"aud\" must be a string or an array of strings");
  }

  private static List<String> roles(Map<String, Object> claims) throws CredentialException {
    if (claims.get("roles") instanceof List<?> list
        && list.stream().allMatch(role -> role instanceof String s && !s.isBlank())) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new CredentialException(
        Reason.MALFORMED, "claim \"roles\" must be an array of non-empty strings");
  }

  private static Optional<Instant> numericDate(Map<String, Object> claims, String name)
      throws CredentialException {
    Object value = claims.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof BigDecimal number)
        || number.signum() < 0
        || number.compareTo(BigDecimal.valueOf(MAX_NUMERIC_DATE)) > 0) {
      throw new CredentialException(
          Reason.MALFORMED,
          "claim \"" + name + "\" must be a NumericDate (seconds since 1970, RFC 7519 section 2)");
    }
    // Fractions of a second are allowed by RFC 7519 and dropped: whole seconds decide.
    return Optional.of(Instant.ofEpochSecond(number.longValue()));
  }

  private static CredentialException missing(String claim) {
    return new CredentialException(
        Reason.MALFORMED, "claim \"" + claim + "\" is required (a NumericDate)");
  }

  private static CredentialException wrongParty(String found, String expected) {
    return new CredentialException(
        Reason.WRONG_PARTY,
        "credential is for an analyst of '" + printable(found) + "', but the question is asked"
            + " for party " + printable(expected) + "; a party's issuer vouches for its own"
            + " analysts only");
  }

  private static String describe(List<IssuerKey> keys) {
    return String.join(", ", keys.stream()
        .map(k -> k.type() + k.restrictedTo().map(a -> " for " + a.jwsName()).orElse(""))
        .toList());
  }

  private static String sha256Hex(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      // The token is checked to be ASCII by base64url decoding; hash its UTF-8 bytes regardless,
      // so that no two inputs share a hash.
      digest.update(StandardCharsets.UTF_8.encode(CharBuffer.wrap(token)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  /** A claim value safe for a message: printable ASCII, at most 64 characters. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && i < 64; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
    }
    return text.length() > 64 ? out + "..." : out.toString();
  }

  @Override
  public String toString() {
    return "CredentialVerifier[parties=" + issuersByParty.keySet() + "]";
  }
}
