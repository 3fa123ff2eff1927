package nl.schakel.covenant;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A budget against enumeration: at most {@code max} admitted questions per analyst or per party
 * within a sliding {@code window}. Every matching limit is charged.
 *
 * @param purpose the purpose it applies to; empty for {@code any}
 * @param per who the budget is counted for
 * @param max at least 1
 * @param window the sliding window; a fixed length of time (days, weeks, hours, minutes, seconds)
 */
public record Limit(Optional<String> purpose, Per per, int max, Duration window) {

  /** Who a budget is counted for. */
  public enum Per {
    ANALYST("analyst"),
    PARTY("party");

    private final String yamlName;

    Per(String yamlName) {
      this.yamlName = yamlName;
    }

    /** The name as written in a convenant. */
    public String yamlName() {
      return yamlName;
    }

    static Optional<Per> lookup(String name) {
      for (Per per : values()) {
        if (per.yamlName.equals(name)) {
          return Optional.of(per);
        }
      }
      return Optional.empty();
    }
  }

  public Limit {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(per, "per");
    Objects.requireNonNull(window, "window");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, found " + max);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, found " + window);
    }
  }

  /** Whether questions for {@code purposeId} are charged against this limit. */
  public boolean appliesTo(String purposeId) {
    return purpose.map(purposeId::equals).orElse(true);
  }
}
