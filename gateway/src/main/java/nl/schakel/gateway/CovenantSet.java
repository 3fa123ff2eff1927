package nl.schakel.gateway;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantValidationException;
import nl.schakel.covenant.Evaluator;
import nl.schakel.covenant.Limit;

/** The convenanten this gateway enforces, each with its evaluator, and how a question finds its own. */
final class CovenantSet {
  /** A loaded convenant and its evaluator. */
  record Loaded(Covenant covenant, Evaluator evaluator) {}

  private final List<Loaded> loaded;

  private CovenantSet(List<Loaded> loaded) {
    this.loaded = List.copyOf(loaded);
  }

  static CovenantSet load(List<Path> files) throws CovenantValidationException {
    List<Loaded> list = new ArrayList<>();
    for (Path file : files) {
      Covenant c = CovenantParser.parse(file);
      list.add(new Loaded(c, new Evaluator(c)));
    }
    return new CovenantSet(list);
  }

  List<Loaded> all() {
    return loaded;
  }

  /** The limits of the highest loaded version of convenant {@code id}; empty if none is loaded. */
  List<Limit> limits(String id) {
    return loaded.stream().filter(l -> l.covenant().id().equals(id))
        .max(Comparator.comparingInt(l -> l.covenant().version()))
        .map(l -> l.covenant().limits()).orElse(List.of());
  }

  /** Why no convenant could be chosen for a question; the message is safe to show. */
  static final class NoCovenantException extends Exception {
    NoCovenantException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The convenant that defines {@code purpose}: the one named, or else the only one defining it.
   * Of several versions of the same convenant the highest wins (COVENANT.md, Versions).
   */
  Loaded forPurpose(String purpose, Optional<String> covenantId) throws NoCovenantException {
    List<Loaded> candidates = loaded.stream()
        .filter(l -> covenantId.map(id -> l.covenant().id().equals(id)).orElse(true))
        .filter(l -> l.covenant().purposes().containsKey(purpose))
        .toList();
    if (candidates.isEmpty()) {
      if (covenantId.isPresent() && loaded.stream().noneMatch(l -> l.covenant().id().equals(covenantId.get()))) {
        throw new NoCovenantException("covenant: unknown convenant; known: " + ids());
      }
      throw new NoCovenantException("purpose: no convenant" + covenantId.map(id -> " '" + id + "'").orElse("")
          + " defines this purpose; known purposes: " + purposes(covenantId));
    }
    long distinctIds = candidates.stream().map(l -> l.covenant().id()).distinct().count();
    if (distinctIds > 1) {
      throw new NoCovenantException("covenant: several convenanten define this purpose " + candidates.stream()
          .map(l -> l.covenant().id()).distinct().sorted().toList() + "; name one with \"covenant\"");
    }
    return candidates.stream().max(Comparator.comparingInt(l -> l.covenant().version())).orElseThrow();
  }

  private List<String> ids() {
    return loaded.stream().map(l -> l.covenant().id()).distinct().sorted().toList();
  }

  private List<String> purposes(Optional<String> covenantId) {
    return loaded.stream()
        .filter(l -> covenantId.map(id -> l.covenant().id().equals(id)).orElse(true))
        .flatMap(l -> l.covenant().purposes().keySet().stream())
        .distinct().sorted().toList();
  }
}
