package nl.schakel.trust.token;

import java.time.Duration;
import java.util.List;

/**
 * What a demo analyst token asserts.
 *
 * @param issuer the {@code iss} claim, which the gateway must be configured to trust
 * @param audience the {@code aud} claim, naming the gateway
 * @param party the asker's party id ({@code org} claim), e.g. "gemeente-utrecht"
 * @param person the analyst ({@code sub} and {@code name} claims)
 * @param roles the analyst's roles within the party ({@code roles} claim); may be empty
 * @param ttl how long the token is valid: more than zero, at most {@link #MAX_TTL}
 */
public record AnalystClaims(
    String issuer, String audience, String party, String person, List<String> roles, Duration ttl) {

  /** A working day: demo tokens are typed into shells and should not outlive the session. */
  public static final Duration MAX_TTL = Duration.ofHours(12);

  public AnalystClaims {
    requireText(issuer, "issuer");
    requireText(audience, "audience");
    requireText(party, "party");
    requireText(person, "person");
    if (roles == null) {
      throw new IllegalArgumentException("roles must be a list (empty for none), found none");
    }
    roles = List.copyOf(roles);
    for (String role : roles) {
      requireText(role, "every role");
    }
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "token ttl must be between PT1S and " + MAX_TTL + ", found " + ttl);
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be a non-blank string");
    }
  }
}
