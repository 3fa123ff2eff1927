package nl.schakel.trust.jwt;

import java.util.Objects;

/**
 * Who may vouch for a party's analysts: the OIDC issuer configured <em>for that party</em>, the
 * audience its credentials must name, and its public keys.
 *
 * @param party the party id whose analysts this issuer authenticates, e.g. {@code politie}
 * @param issuer the exact {@code iss} value, e.g. {@code https://login.politie.example/realms/x}
 * @param audience the value {@code aud} must contain, e.g. {@code schakel}
 * @param keys the issuer's public keys
 */
public record Issuer(String party, String issuer, String audience, IssuerKeys keys) {

  public Issuer {
    requireText(party, "party");
    requireText(issuer, "issuer");
    requireText(audience, "audience");
    Objects.requireNonNull(keys, "keys");
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("an issuer's " + what + " must be a non-blank string");
    }
  }
}
