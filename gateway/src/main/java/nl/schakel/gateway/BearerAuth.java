package nl.schakel.gateway;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nl.schakel.trust.jwt.CredentialException;
import nl.schakel.trust.jwt.CredentialVerifier;
import nl.schakel.trust.jwt.VerifiedCredential;

/**
 * Authenticates every {@code /v1} request by its bearer token, with the issuer configured for the
 * party the token claims ({@code org}) and no other: a token from one party's issuer claiming
 * another party is refused, so the gateway never logs nor charges a question to a party whose
 * issuer did not vouch for the asker. The {@code org} claim is read unverified only to pick that
 * issuer; the {@link CredentialVerifier} then checks it against the issuer's party. The token is
 * never logged nor put in a refusal.
 */
final class BearerAuth implements Handler<RoutingContext> {
  /** The routing-context key under which the verified {@link Asker} is put for the handlers. */
  static final String ASKER = "schakel.asker";
  private static final String PREFIX = "Bearer ";

  private final CredentialVerifier verifier;
  private final Set<String> parties;
  private final Clock clock;

  /**
   * @param parties the parties an issuer is configured for
   * @param clock the time tokens are checked against: real time, as their issuer means it
   */
  BearerAuth(CredentialVerifier verifier, Set<String> parties, Clock clock) {
    this.verifier = verifier;
    this.parties = new TreeSet<>(parties);
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() <= PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      unauthenticated(ctx, "Send a valid bearer token (Authorization: Bearer <JWT>) from your party's issuer;"
          + " none was found");
      return;
    }
    String token = header.substring(PREFIX.length()).trim();
    Optional<String> org = claimedParty(token);
    if (org.isEmpty()) {
      unauthenticated(ctx, "The bearer token is not a JWT whose payload names the asker's party (claim org)");
      return;
    }
    if (!parties.contains(org.get())) {
      unauthenticated(ctx, "no issuer is configured for party " + printable(org.get())
          + "; the gateway has issuers for " + (parties.isEmpty() ? "no party" : String.join(", ", parties)));
      return;
    }
    VerifiedCredential credential;
    try {
      credential = verifier.verify(token, org.get(), clock.instant());
    } catch (CredentialException e) {
      // The verifier's message starts with the code and never carries the token.
      unauthenticated(ctx, e.getMessage().startsWith(e.code()) ? e.getMessage() : e.code() + ": " + e.getMessage());
      return;
    }
    Optional<Asker> asker = Asker.fromCredential(credential, token);
    if (asker.isEmpty()) {
      Problem.of(401, "invalid-token", "The token does not name an analyst",
          "The bearer token must carry claims sub (the person), org (the party) and roles (an array of role names)")
          .send(ctx);
      return;
    }
    ctx.put(ASKER, asker.get());
    ctx.next();
  }

  /** The token's {@code org} claim, read without verifying anything; empty if it has none. */
  static Optional<String> claimedParty(String token) {
    if (token.length() > CredentialVerifier.MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return payload.getValue("org") instanceof String org && !org.isEmpty() ? Optional.of(org) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** An unverified claim may be anything: shown only when it looks like a party name. */
  private static String printable(String party) {
    return party.matches("[a-z0-9][a-z0-9-]{0,63}") ? "'" + party + "'" : "(not a party name)";
  }

  private static void unauthenticated(RoutingContext ctx, String detail) {
    Problem.of(401, "unauthenticated", "Authentication required", detail).send(ctx);
  }
}
