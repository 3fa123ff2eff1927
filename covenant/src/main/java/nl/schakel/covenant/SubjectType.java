package nl.schakel.covenant;

import java.util.Optional;

/** What a question is about. The YAML names are part of the format and of the canonical hash. */
public enum SubjectType {
  PERSON("person"),
  ADDRESS("address"),
  ORGANISATION("organisation"),
  AREA("area");

  private final String yamlName;

  SubjectType(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name as written in a convenant, e.g. {@code "organisation"}. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The subject type written as {@code name} in a convenant.
   *
   * @throws IllegalArgumentException if {@code name} is none of person, address, organisation, area
   *     (the message does not echo the input: it may come from an untrusted request)
   */
  public static SubjectType fromYaml(String name) {
    return lookup(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "subject type must be person, address, organisation or area"));
  }

  /** The subject type written as {@code name}, or empty if there is none. */
  public static Optional<SubjectType> lookup(String name) {
    for (SubjectType type : values()) {
      if (type.yamlName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
