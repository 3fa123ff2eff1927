package nl.schakel.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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

  /** The asker named by verified token claims, or empty when a claim is missing or malformed. */
  static Optional<Asker> fromClaims(JsonObject claims, String token) {
    Object org = claims.getValue("org");
    Object sub = claims.getValue("sub");
    Object roles = claims.getValue("roles");
    if (!(org instanceof String party) || !PARTY.matcher(party).matches()) {
      return Optional.empty();
    }
    if (!(sub instanceof String person) || person.isBlank() || person.length() > 128) {
      return Optional.empty();
    }
    if (!(roles instanceof JsonArray list)) {
      return Optional.empty();
    }
    Set<String> roleSet = new LinkedHashSet<>();
    for (Object r : list) {
      if (!(r instanceof String role) || !ROLE.matcher(role).matches()) {
        return Optional.empty();
      }
      roleSet.add(role);
    }
    return Optional.of(new Asker(party, person, roleSet, token));
  }

  @Override
  public String toString() {
    // The token is a bearer credential: it must never reach a log line.
    return "Asker[" + party + "/" + person + " " + roles + "]";
  }
}
