package nl.schakel.covenant;

import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/** A YAML mapping whose keys were checked against the allowed and required ones. */
final class Mapping {
  private final Node node;
  private final Map<String, Node> values;

  Mapping(Node node, Map<String, Node> values) {
    this.node = node;
    this.values = values;
  }

  /** The mapping itself, for errors about it as a whole. */
  Node node() {
    return node;
  }

  /** The value under {@code key}, if present (a missing required key was already reported). */
  Optional<Node> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  boolean has(String key) {
    return values.containsKey(key);
  }
}
