package nl.schakel.covenant;

import java.util.Optional;

/** The CBS area level an area rule answers at: one level per rule. */
public enum AreaLevel {
  BUURT("buurt"),
  WIJK("wijk"),
  GEMEENTE("gemeente");

  private final String yamlName;

  AreaLevel(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name as written in a convenant's {@code area-level}, e.g. {@code "buurt"}. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The level written as {@code name} in a convenant.
   *
   * @throws IllegalArgumentException if {@code name} is none of buurt, wijk, gemeente
   */
  public static AreaLevel fromYaml(String name) {
    return lookup(name)
        .orElseThrow(
            () -> new IllegalArgumentException("area level must be buurt, wijk or gemeente"));
  }

  /** The level written as {@code name}, or empty if there is none. */
  public static Optional<AreaLevel> lookup(String name) {
    for (AreaLevel level : values()) {
      if (level.yamlName.equals(name)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
