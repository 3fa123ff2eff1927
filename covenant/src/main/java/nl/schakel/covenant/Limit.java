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

  /**
   * The limit in the convenant's own terms, as gateway and nodes show it in a refusal:
   * {@code "20 per analyst per P1D for purpose huisverbod"}.
   */
  public String describe() {
    return max + " per " + per.yamlName() + " per " + windowText() + " for purpose " + purpose.orElse("any");
  }

  /**
   * The window as a convenant writes it: whole days as {@code PnD}, otherwise {@code
   * P[nD]T[nH][nM][nS]} ({@code PT1H30M}, {@code P1DT2H}).
   */
  public String windowText() {
    long seconds = window.getSeconds();
    long days = seconds / 86_400;
    long rest = seconds % 86_400;
    StringBuilder b = new StringBuilder("P");
    if (days > 0) {
      b.append(days).append('D');
    }
    if (rest > 0 || days == 0) {
      b.append('T');
      if (rest / 3600 > 0) {
        b.append(rest / 3600).append('H');
      }
      if (rest % 3600 / 60 > 0) {
        b.append(rest % 3600 / 60).append('M');
      }
      if (rest % 60 > 0 || rest == 0) {
        b.append(rest % 60).append('S');
      }
    }
    return b.toString();
  }

  /** Whether questions for {@code purposeId} are charged against this limit. */
  public boolean appliesTo(String purposeId) {
    return purpose.map(purposeId::equals).orElse(true);
  }
}
