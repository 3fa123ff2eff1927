package nl.schakel.node;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantValidationException;
import nl.schakel.covenant.Evaluator;

/**
 * The node's own copies of the convenants it answers under (principle 2: it never takes the
 * gateway's word for the rules), each with its evaluator and canonical hash, by id and version.
 *
 * <p>Seam for signatures: today a copy counts as in force when its validity window covers the day.
 * When convenant signatures are checked, build this only from copies whose {@code .sigs} verified
 * (every party named, this node's own organisation included), and let {@link #inForce} also require
 * that; nothing else in the node decides which copies exist.
 */
final class CovenantCopies {

  /** One convenant version as this node holds it. The hash is computed once, not per question. */
  record Copy(Covenant covenant, Evaluator evaluator, ByteString hash) {
    String label() {
      return covenant.label();
    }
  }

  private record Key(String id, int version) {}

  private final Map<Key, Copy> copies;

  /**
   * @throws IllegalArgumentException if two covenants share an id and version: one of them is not
   *     what the parties signed, and the node cannot know which
   */
  CovenantCopies(List<Covenant> covenants) {
    Map<Key, Copy> map = new LinkedHashMap<>();
    for (Covenant c : covenants) {
      Copy previous = map.put(new Key(c.id(), c.version()),
          new Copy(c, new Evaluator(c), ByteString.copyFrom(c.canonicalHash())));
      if (previous != null) {
        throw new IllegalArgumentException("convenant " + c.label() + " is held twice, in "
            + previous.covenant().source() + " and " + c.source() + ": keep exactly one file per version");
      }
    }
    this.copies = map;
  }

  /**
   * Parses every configured file. A node that cannot read all its convenants, or whose party none
   * of them names, does not start: answering under a half-loaded set of rules is worse than not
   * answering at all.
   *
   * @throws IOException naming every problem, with file:line:column for validation errors
   */
  static CovenantCopies load(List<Path> files, String party) throws IOException {
    if (files.isEmpty()) {
      throw new IOException("node " + party + " holds no convenant: list its files under 'covenants:' in the node"
          + " config (e.g. covenants: [covenants/zvo-midden.v3.yaml]); a node answers only under its own copy");
    }
    List<Covenant> parsed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        parsed.add(CovenantParser.parse(file));
      } catch (CovenantValidationException e) {
        e.errors().forEach(err -> problems.add(err.toString()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException("node " + party + " cannot start: its convenants are invalid\n  "
          + String.join("\n  ", problems));
    }
    if (parsed.stream().noneMatch(c -> c.parties().containsKey(party))) {
      throw new IOException("node " + party + " cannot start: none of its convenants ("
          + String.join(", ", parsed.stream().map(Covenant::label).toList()) + ") names party '" + party + "'");
    }
    try {
      return new CovenantCopies(parsed);
    } catch (IllegalArgumentException e) {
      throw new IOException("node " + party + " cannot start: " + e.getMessage(), e);
    }
  }

  Optional<Copy> find(String id, int version) {
    return Optional.ofNullable(copies.get(new Key(id, version)));
  }

  /**
   * The highest version of convenant {@code id} above {@code version} that is in force at {@code
   * at}: COVENANT.md "Versions" lets the highest in-force version win, so a question citing an
   * older one is refused.
   */
  Optional<Copy> newerInForce(String id, int version, Instant at) {
    return copies.values().stream()
        .filter(c -> c.covenant().id().equals(id) && c.covenant().version() > version)
        .filter(c -> inForce(c, at))
        .max(Comparator.comparingInt(c -> c.covenant().version()));
  }

  /** Whether a copy is in force: within its dates (signatures join this check when they are verified). */
  boolean inForce(Copy copy, Instant at) {
    return copy.covenant().inForceAt(at);
  }

  /** Every copy, in config order: for Describe and the start-up log. */
  List<Copy> all() {
    return List.copyOf(copies.values());
  }
}
