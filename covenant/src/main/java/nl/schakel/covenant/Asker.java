package nl.schakel.covenant;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a rule lets ask: a whole party ({@code riec}) or one role within it ({@code riec.analist}).
 *
 * @param party the party id
 * @param role the role, or empty for anyone of the party
 */
public record Asker(String party, Optional<String> role) {

  public Asker {
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(role, "role");
  }

  /** Whether a person of {@code askerParty} holding {@code askerRoles} is this asker. */
  public boolean matches(String askerParty, Set<String> askerRoles) {
    return party.equals(askerParty) && role.map(askerRoles::contains).orElse(true);
  }

  /**
   * Whether some person could be both this asker and {@code other}: same party, and the same role
   * or one of them any role. (A person holding two roles is resolved by rule order instead.)
   */
  boolean overlaps(Asker other) {
    return party.equals(other.party)
        && (role.isEmpty() || other.role.isEmpty() || role.equals(other.role));
  }

  /** As written in the convenant: {@code party} or {@code party.role}. */
  @Override
  public String toString() {
    return role.map(r -> party + "." + r).orElse(party);
  }
}
