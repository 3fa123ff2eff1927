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
import nl.schakel.covenant.CovenantSignaturesException;
import nl.schakel.covenant.CovenantValidationException;
import nl.schakel.covenant.Evaluator;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.SignatureCheck;
import nl.schakel.covenant.SignedCovenant;
import nl.schakel.covenant.TamperedCovenantException;

/**
 * The node's own copies of the convenants it answers under (principle 2: it never takes the
 * gateway's word for the rules), each with its evaluator and canonical hash, by id and version.
 *
 * <p>Only copies signed by every party they name, this node's own organisation included, are held
 * (ARCHITECTURE.md "Identity, keys and trust"): a version some party has not signed is not an
 * agreement, and a text that no longer matches a signature was changed behind the parties' backs.
 * Either stops the node at start, loudly, rather than leaving it to answer under fewer or other
 * rules than the operator believes. At question time {@link SignedCovenant#inForceAt} decides.
 */
final class CovenantCopies {

  /** One convenant version as this node holds it. The hash is computed once, not per question. */
  record Copy(SignedCovenant signed, Evaluator evaluator, ByteString hash) {
    Covenant covenant() {
      return signed.covenant();
    }

    String label() {
      return covenant().label();
    }
  }

  private record Key(String id, int version) {}

  private final Map<Key, Copy> copies;

  /**
   * @throws IllegalArgumentException if two covenants share an id and version: one of them is not
   *     what the parties signed, and the node cannot know which
   */
  CovenantCopies(List<SignedCovenant> covenants) {
    Map<Key, Copy> map = new LinkedHashMap<>();
    for (SignedCovenant s : covenants) {
      Covenant c = s.covenant();
      Copy previous = map.put(new Key(c.id(), c.version()),
          new Copy(s, new Evaluator(c), ByteString.copyFrom(c.canonicalHash())));
      if (previous != null) {
        throw new IllegalArgumentException("convenant " + c.label() + " is held twice, in "
            + previous.covenant().source() + " and " + c.source() + ": keep exactly one file per version");
      }
    }
    this.copies = map;
  }

  /**
   * Parses every configured file and checks its signatures against {@code keys}. A node that cannot
   * read all its convenants, holds one that is not signed by every party it names or was changed
   * after signing, or whose party none of them names, does not start: answering under a
   * half-loaded or unagreed set of rules is worse than not answering at all.
   *
   * @throws IOException naming every problem: file:line:column for validation errors, the file
   *     and the parties for missing, unknown-key or mismatched signatures
   */
  static CovenantCopies load(List<Path> files, String party, PartyKeys keys) throws IOException {
    if (files.isEmpty()) {
      throw new IOException("node " + party + " holds no convenant: list its files under 'covenants:' in the node"
          + " config (e.g. covenants: [covenants/zvo-midden.v3.yaml]); a node answers only under its own copy");
    }
    List<SignedCovenant> loaded = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        SignedCovenant signed = SignedCovenant.load(file, keys);
        if (signed.signatures().complete()) {
          loaded.add(signed);
        } else {
          problems.add(notFullySigned(file, signed.signatures()));
        }
      } catch (CovenantValidationException e) {
        e.errors().forEach(err -> problems.add(err.toString()));
      } catch (CovenantSignaturesException e) {
        problems.add(file.getFileName() + ": its signature file cannot be read: " + e.getMessage());
      } catch (TamperedCovenantException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException("node " + party + " cannot start: its convenants are invalid or not signed by every party\n  "
          + String.join("\n  ", problems));
    }
    if (loaded.stream().noneMatch(c -> c.covenant().parties().containsKey(party))) {
      throw new IOException("node " + party + " cannot start: none of its convenants ("
          + String.join(", ", loaded.stream().map(c -> c.covenant().label()).toList()) + ") names party '" + party
          + "'");
    }
    try {
      return new CovenantCopies(loaded);
    } catch (IllegalArgumentException e) {
      throw new IOException("node " + party + " cannot start: " + e.getMessage(), e);
    }
  }

  /** Names the file, the parties whose signature is missing or does not count, and what to do. */
  static String notFullySigned(Path file, SignatureCheck check) {
    StringBuilder b = new StringBuilder()
        .append(file).append(" (").append(check.covenantLabel()).append(") is not signed by every party it names");
    if (!check.missing().isEmpty()) {
      b.append("; missing signatures: ").append(String.join(", ", check.missing()));
    }
    for (SignatureCheck.PartyStatus s : check.parties()) {
      if (s instanceof SignatureCheck.Invalid invalid) {
        b.append("; invalid signature of ").append(invalid.party()).append(": ").append(invalid.detail());
      }
    }
    return b.append(". A version is in force only when every party has signed its canonical hash ")
        .append(check.hashHex()).append(" ('schakel covenant sign'); until then this node does not hold it")
        .toString();
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

  /** Whether a copy is in force: within its dates and signed by every party it names. */
  boolean inForce(Copy copy, Instant at) {
    return copy.signed().inForceAt(at);
  }

  /** Every copy, in config order: for Describe and the start-up log. */
  List<Copy> all() {
    return List.copyOf(copies.values());
  }
}
