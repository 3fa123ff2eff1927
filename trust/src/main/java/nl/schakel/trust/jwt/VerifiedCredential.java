package nl.schakel.trust.jwt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An analyst credential whose signature, issuer, audience, party and lifetime checked out.
 *
 * @param party the analyst's party ({@code org}), equal to the party it was verified for
 * @param person who the analyst is ({@code sub})
 * @param roles the analyst's roles within the party ({@code roles}); may be empty
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param tokenHash lower-case hex SHA-256 of the token's characters: what logs and audit
 *     entries may hold instead of the token, which they never hold
 */
public record VerifiedCredential(
    String party,
    String person,
    List<String> roles,
    Instant issuedAt,
    Instant expiresAt,
    String tokenHash) {

  public VerifiedCredential {
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(person, "person");
    roles = List.copyOf(roles);
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(tokenHash, "tokenHash");
  }
}
