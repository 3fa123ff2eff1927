package nl.schakel.bench.synthetic;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One record category a party holds, the subject types its records are about, and how often it
 * occurs relative to the party's other categories.
 *
 * @param category the category name as the convenant spells it, e.g. {@code incident.drugs}
 * @param subjectTypes at least one; a category with several splits its records evenly
 * @param weight relative share of the party's records, at least 1
 */
public record CategorySpec(String category, Set<SubjectType> subjectTypes, int weight) {

  // The node's CSV source accepts exactly these category names.
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

  public CategorySpec {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(subjectTypes, "subjectTypes");
    if (!NAME.matcher(category).matches()) {
      throw new IllegalArgumentException(
          "category must match " + NAME.pattern() + ", found '" + category + "'");
    }
    if (subjectTypes.isEmpty()) {
      throw new IllegalArgumentException("category " + category + " needs at least one subject type");
    }
    if (weight < 1) {
      throw new IllegalArgumentException(
          "weight of category " + category + " must be at least 1, found " + weight);
    }
    // An EnumSet iterates in declaration order, which keeps generated files byte-identical.
    subjectTypes = Collections.unmodifiableSet(EnumSet.copyOf(subjectTypes));
  }

  /** A category with a single subject type. */
  public static CategorySpec of(String category, SubjectType subjectType, int weight) {
    return new CategorySpec(category, EnumSet.of(subjectType), weight);
  }

  /** A category whose records are about any of the given subject types. */
  public static CategorySpec of(String category, SubjectType first, SubjectType second, int weight) {
    return new CategorySpec(category, EnumSet.of(first, second), weight);
  }
}
