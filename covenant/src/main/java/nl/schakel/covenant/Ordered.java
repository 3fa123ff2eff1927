package nl.schakel.covenant;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Unmodifiable copies that keep file order. {@code Map.copyOf} and {@code Set.copyOf} would
 * scramble it, and file order is what people see (default responders, roles, subjects).
 */
final class Ordered {
  private Ordered() {}

  static <K, V> Map<K, V> map(Map<K, V> source) {
    Objects.requireNonNull(source);
    LinkedHashMap<K, V> copy = new LinkedHashMap<>();
    source.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return Collections.unmodifiableMap(copy);
  }

  static <T> Set<T> set(Set<T> source) {
    Objects.requireNonNull(source);
    LinkedHashSet<T> copy = new LinkedHashSet<>();
    for (T t : source) {
      copy.add(Objects.requireNonNull(t, "element"));
    }
    return Collections.unmodifiableSet(copy);
  }
}
