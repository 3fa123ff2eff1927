package nl.schakel.covenant;

import java.util.Optional;

/** How precise a responder's answer may be; named as in the convenant's {@code answer} key. */
public enum AnswerKind {
  /** Each allowed responder's hit or no-hit is shown, with its contact after a hit. */
  HIT_PER_PARTY("hit-per-party"),
  /** Only whether at least one responder has a hit; per-party outcomes stay hidden. */
  HIT_ANY("hit-any"),
  /** A number of records, after the rule's disclosure control. */
  COUNT("count");

  private final String yamlName;

  AnswerKind(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name as written in a convenant, e.g. {@code "hit-per-party"}. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The answer kind written as {@code name} in a convenant.
   *
   * @throws IllegalArgumentException if {@code name} is none of hit-per-party, hit-any, count
   */
  public static AnswerKind fromYaml(String name) {
    return lookup(name)
        .orElseThrow(
            () -> new IllegalArgumentException("answer must be hit-per-party, hit-any or count"));
  }

  /** The answer kind written as {@code name}, or empty if there is none. */
  public static Optional<AnswerKind> lookup(String name) {
    for (AnswerKind kind : values()) {
      if (kind.yamlName.equals(name)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
