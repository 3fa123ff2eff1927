package nl.schakel.covenant;

import java.util.List;

/** A rule's {@code categories}: {@code any} (the default) or an explicit list. */
public sealed interface CategorySelection permits CategorySelection.Any, CategorySelection.Listed {

  /** Whether the rule allows records of this category (if the responder holds them). */
  boolean allows(String category);

  /** Every category the responder declares for the rule's subject type. */
  record Any() implements CategorySelection {
    @Override
    public boolean allows(String category) {
      return true;
    }

    @Override
    public String toString() {
      return "any";
    }
  }

  /**
   * Only these categories, in file order.
   *
   * @param names at least one category name
   */
  record Listed(List<String> names) implements CategorySelection {
    public Listed {
      names = List.copyOf(names);
    }

    @Override
    public boolean allows(String category) {
      return names.contains(category);
    }
  }
}
