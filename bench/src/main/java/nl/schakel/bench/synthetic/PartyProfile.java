package nl.schakel.bench.synthetic;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one party of the federation holds: its categories and their subject types.
 *
 * @param party the party id, as in the convenant and in {@code urn:schakel:party:<id>}
 * @param categories at least one, names unique within the party
 */
public record PartyProfile(String party, List<CategorySpec> categories) {

  static final Pattern PARTY_ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

  public PartyProfile {
    Objects.requireNonNull(party, "party");
    categories = List.copyOf(Objects.requireNonNull(categories, "categories"));
    if (!PARTY_ID.matcher(party).matches()) {
      throw new IllegalArgumentException(
          "party id must match " + PARTY_ID.pattern() + ", found '" + party + "'");
    }
    if (categories.isEmpty()) {
      throw new IllegalArgumentException("party " + party + " needs at least one category");
    }
    var seen = new HashSet<String>();
    for (CategorySpec spec : categories) {
      if (!seen.add(spec.category())) {
        throw new IllegalArgumentException(
            "party " + party + " lists category " + spec.category() + " twice");
      }
    }
  }

  /** Whether this party holds {@code category} about subjects of {@code type}. */
  public boolean holds(String category, SubjectType type) {
    return categories.stream()
        .anyMatch(c -> c.category().equals(category) && c.subjectTypes().contains(type));
  }
}
