package nl.schakel.gateway;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.schakel.trust.jwt.VerifiedCredential;

/**
 * Who is asking, as their party's issuer vouched for it in the bearer token: party ({@code org}),
 * person ({@code sub}) and roles. The gateway never takes these from the request body.
 */
record Asker(String party, String person, Set<String> roles, String token) {
  private static final Pattern PARTY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

  Asker {
    roles = Set.copyOf(roles);
  }

  /** The asker a verified credential names, or empty when its party or a role is not a well-formed name. */
  static Optional<Asker> fromCredential(VerifiedCredential credential, String token) {
    if (!PARTY.matcher(credential.party()).matches() || credential.person().length() > 128) {
      return Optional.empty();
    }
    Set<String> roleSet = new LinkedHashSet<>();
    for (String role : credential.roles()) {
      if (!ROLE.matcher(role).matches()) {
        return Optional.empty();
      }
      roleSet.add(role);
    }
    return Optional.of(new Asker(credential.party(), credential.person(), roleSet, token));
  }

  @Override
  public String toString() {
    // The token is a bearer credential: it must never reach a log line.
    return "Asker[" + party + "/" + person + " " + roles + "]";
  }
}
