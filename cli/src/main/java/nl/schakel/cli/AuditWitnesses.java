package nl.schakel.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointException;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CosignatureVerifier;

/**
 * The witness half of {@code audit verify --cosigned}: a cosigned checkpoint (C2SP
 * tlog-cosignature) is the gateway's signed note with one extra signature line per witness. Each
 * listed witness must have a line that verifies over this very checkpoint; lines of witnesses not
 * listed are ignored, as the signed-note spec asks.
 */
final class AuditWitnesses {
  private AuditWitnesses() {}

  /**
   * Returns the problems found (empty when every witness cosigned), or empty after printing why
   * the check could not run (a malformed verifier key).
   */
  static Optional<List<String>> check(String note, CheckpointVerifier log, List<String> witnessKeys, PrintWriter out,
      PrintWriter err) {
    List<CosignatureVerifier> witnesses = new ArrayList<>();
    for (String key : witnessKeys) {
      try {
        witnesses.add(CosignatureVerifier.forVerifierKey(key.strip()));
      } catch (CheckpointException | IllegalArgumentException e) {
        err.println("--witness: " + e.getMessage());
        return Optional.empty();
      }
    }
    List<String> problems = new ArrayList<>();
    Checkpoint checkpoint;
    try {
      checkpoint = log.verify(note);
    } catch (CheckpointException e) {
      // LogAudit reports the checkpoint itself; without it no cosignature can be checked.
      if (!witnesses.isEmpty()) {
        problems.add("cosignatures not checked: the cosigned checkpoint is not the log's: " + e.getMessage());
      }
      return Optional.of(problems);
    }
    List<String> lines = signatureLines(note);
    for (CosignatureVerifier w : witnesses) {
      Optional<Instant> signed = Optional.empty();
      String why = "it carries no signature line by " + w.name();
      for (String line : lines) {
        if (!line.startsWith("\u2014 " + w.name() + " ")) {
          continue;
        }
        try {
          signed = Optional.of(w.verify(checkpoint, line));
          break;
        } catch (CheckpointException e) {
          why = e.getMessage();
        }
      }
      if (signed.isPresent()) {
        out.println("  witness   " + w.name() + " cosigned tree size " + checkpoint.size() + " at " + signed.get());
      } else {
        problems.add("witness " + w.name() + " did not cosign tree size " + checkpoint.size() + ": " + why);
      }
    }
    return Optional.of(problems);
  }

  private static List<String> signatureLines(String note) {
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      return List.of();
    }
    return List.of(note.substring(split + 2).split("\n"));
  }
}
