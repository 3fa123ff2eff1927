package nl.schakel.gateway;

import com.google.protobuf.ByteString;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantSignaturesException;
import nl.schakel.covenant.CovenantValidationException;
import nl.schakel.covenant.Evaluator;
import nl.schakel.covenant.Limit;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.SignatureCheck;
import nl.schakel.covenant.SignedCovenant;
import nl.schakel.covenant.TamperedCovenantException;

/**
 * The convenanten this gateway enforces, each with its evaluator, and how a question finds its own.
 * Only versions signed by every party they name are loaded (ARCHITECTURE.md "Identity, keys and
 * trust"); the nodes refuse anything else, so a gateway that asked under it would only collect
 * refusals, and one changed after signing is an alarm. Either stops the gateway at start.
 */
final class CovenantSet {
  /** A loaded convenant, its signature check and its evaluator. */
  record Loaded(SignedCovenant signed, Evaluator evaluator, ByteString hash) {
    Loaded(SignedCovenant signed, Evaluator evaluator) {
      this(signed, evaluator, ByteString.copyFrom(signed.hash()));
    }

    Covenant covenant() {
      return signed.covenant();
    }
  }

  private final List<Loaded> loaded;

  private CovenantSet(List<Loaded> loaded) {
    this.loaded = List.copyOf(loaded);
  }

  /**
   * Reads every file and checks its signatures against {@code keys}.
   *
   * @throws IOException naming every problem: file:line:column for validation errors, the file
   *     and the parties for missing, unknown-key or mismatched signatures
   */
  static CovenantSet load(List<Path> files, PartyKeys keys) throws IOException {
    List<Loaded> list = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        SignedCovenant signed = SignedCovenant.load(file, keys);
        if (signed.signatures().complete()) {
          list.add(new Loaded(signed, new Evaluator(signed.covenant())));
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
      throw new IOException("gateway cannot start: its convenanten are invalid or not signed by every party\n  "
          + String.join("\n  ", problems));
    }
    return new CovenantSet(list);
  }

  /** Names the file, the parties whose signature is missing or does not count, and what to do. */
  private static String notFullySigned(Path file, SignatureCheck check) {
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
        .append(check.hashHex()).append(" ('schakel covenant sign')").toString();
  }

  List<Loaded> all() {
    return loaded;
  }

  /** Whether any loaded version is in force at {@code now}: for readiness. */
  boolean anyInForceAt(Instant now) {
    return loaded.stream().anyMatch(l -> l.signed().inForceAt(now));
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
   * Of several versions of the same convenant the highest in force at {@code now} wins (COVENANT.md,
   * Versions), since nodes refuse questions citing an older one. When none is in force the highest
   * is returned, so that its evaluator refuses each party as {@code covenant-not-in-force}, visibly.
   */
  Loaded forPurpose(String purpose, Optional<String> covenantId, Instant now) throws NoCovenantException {
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
    Comparator<Loaded> byVersion = Comparator.comparingInt(l -> l.covenant().version());
    return candidates.stream().filter(l -> l.signed().inForceAt(now)).max(byVersion)
        .orElseGet(() -> candidates.stream().max(byVersion).orElseThrow());
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
