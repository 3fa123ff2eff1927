package nl.schakel.node.index;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which records a question counts: those in one of {@code categories}, dated on or after
 * {@code firstDay} when there is one (a rule's lookback). Categories the index does not hold
 * simply match nothing.
 */
public record Filter(Set<String> categories, Optional<LocalDate> firstDay) {
  public Filter {
    categories = Set.copyOf(Objects.requireNonNull(categories, "categories"));
    Objects.requireNonNull(firstDay, "firstDay");
  }

  /** The first counted day as days since 1970-01-01, clamped to the range the index stores. */
  int firstEpochDay() {
    return firstDay.map(d -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, d.toEpochDay())))
        .orElse(Integer.MIN_VALUE);
  }
}
