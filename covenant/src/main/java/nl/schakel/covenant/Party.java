package nl.schakel.covenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A party to the convenant: an organisation that asks, answers, or both.
 *
 * @param id the party id, also the {@code org} claim of its analysts' tokens
 * @param name the organisation's name as the convenant writes it
 * @param roles the roles its people can hold when asking, in file order
 * @param contact who an asker contacts after a hit, if stated
 * @param categories the record categories it holds, by name in file order; non-empty means it
 *     runs a node and can answer
 * @param secrecy the professional secrecy that stops it from ever answering, if any
 */
public record Party(
    String id,
    String name,
    List<String> roles,
    Optional<String> contact,
    Map<String, CategoryDeclaration> categories,
    Optional<String> secrecy) {

  public Party {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    roles = List.copyOf(roles);
    Objects.requireNonNull(contact, "contact");
    categories = Ordered.map(categories);
    Objects.requireNonNull(secrecy, "secrecy");
  }

  /** Whether some declared category is about subjects of this type. */
  public boolean declares(SubjectType subject) {
    return categories.values().stream().anyMatch(c -> c.covers(subject));
  }

  /** The names of the categories about subjects of this type, in file order. */
  public List<String> categoriesFor(SubjectType subject) {
    return categories.values().stream()
        .filter(c -> c.covers(subject))
        .map(CategoryDeclaration::name)
        .toList();
  }

  /** Whether its people may hold {@code role} under this convenant. */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** Whether a secrecy clause means it never answers. */
  public boolean boundBySecrecy() {
    return secrecy.isPresent();
  }
}
