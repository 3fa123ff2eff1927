package nl.schakel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointException;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CorruptLogException;
import nl.schakel.audit.LogAudit;
import nl.schakel.audit.ProofException;
import nl.schakel.audit.Receipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel audit verify|verify-receipt|search|export|cross-check}: an auditor's tools. The
 * verifying ones trust nothing but the log's note verifier key (and the witnesses' keys given).
 * Exit 0 when everything matches, 1 on any mismatch or error.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Check an audit log against signed checkpoints or a receipt offline; search, export or cross-check"
        + " the gateway's log.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.VerifyReceipt.class, AuditSearchCommand.class,
        AuditExportCommand.class, AuditCrossCheckCommand.class})
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static Optional<CheckpointVerifier> verifier(String key, PrintWriter err) {
    try {
      return Optional.of(CheckpointVerifier.forVerifierKey(key.strip()));
    } catch (CheckpointException e) {
      err.println("--key: " + e.getMessage());
      return Optional.empty();
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Re-read and re-hash every entry of a log directory, rebuild the Merkle tree, and check",
        "that each saved checkpoint is signed by --key and signs a prefix of this very log.",
        "Finds changed entries, deleted or truncated entries, and forks. Reads without the",
        "gateway's lock and writes nothing, so it may run next to a live gateway; an incomplete",
        "tail (a write in progress) is reported and not counted."})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--log", required = true, paramLabel = "DIR",
        description = "the audit log directory (segment-*.log files)")
    Path log;

    @Option(names = "--key", required = true, paramLabel = "KEY",
        description = "the note verifier key <origin>+<hex key hash>+<base64 key>")
    String key;

    @Option(names = "--checkpoint", paramLabel = "FILE",
        description = "a signed checkpoint saved earlier (repeatable)")
    List<Path> checkpoints = new ArrayList<>();

    @Option(names = "--cosigned", paramLabel = "FILE",
        description = "a cosigned checkpoint saved from GET /v1/audit/checkpoint/cosigned: checked like --checkpoint,"
            + " and it must carry a valid cosignature of every --witness")
    Path cosigned;

    @Option(names = "--witness", paramLabel = "VERIFIERKEY",
        description = "a witness's cosignature verifier key <name>+<hex key hash>+<base64 key> (repeatable)")
    List<String> witnesses = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<CheckpointVerifier> maybeVerifier = verifier(key, err);
      if (maybeVerifier.isEmpty()) {
        return Exits.ERROR;
      }
      CheckpointVerifier verifier = maybeVerifier.get();
      List<LogAudit.Source> sources = new ArrayList<>();
      for (Path file : checkpoints) {
        try {
          sources.add(new LogAudit.Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          err.println("cannot read checkpoint " + file + ": " + e.getMessage());
          return Exits.ERROR;
        }
      }
      if (!witnesses.isEmpty() && cosigned == null) {
        err.println("--witness needs --cosigned FILE: the checkpoint whose cosignatures to check");
        return Exits.ERROR;
      }
      List<String> witnessProblems = new ArrayList<>();
      if (cosigned != null) {
        String note;
        try {
          note = Files.readString(cosigned, StandardCharsets.UTF_8);
        } catch (IOException e) {
          err.println("cannot read cosigned checkpoint " + cosigned + ": " + e.getMessage());
          return Exits.ERROR;
        }
        sources.add(new LogAudit.Source(cosigned.toString(), note));
        Optional<List<String>> checked = AuditWitnesses.check(note, verifier, witnesses, out, err);
        if (checked.isEmpty()) {
          return Exits.ERROR;
        }
        witnessProblems.addAll(checked.get());
      }
      LogAudit.Report report;
      try {
        report = LogAudit.audit(log, verifier, sources);
      } catch (CorruptLogException e) {
        err.println("MISMATCH: " + e.getMessage());
        return Exits.ERROR;
      } catch (IOException e) {
        err.println("cannot read the log in " + log + ": " + e.getMessage());
        return Exits.ERROR;
      }
      out.println("log " + log + " (" + verifier.origin() + ")");
      out.println("  entries:  " + report.entries());
      out.println("  root:     " + Base64.getEncoder().encodeToString(report.root()));
      for (LogAudit.Matched m : report.matched()) {
        out.println("  ok        " + m.source() + ": tree size " + m.checkpoint().size()
            + " is a prefix of the log");
      }
      for (String warning : report.warnings()) {
        out.println("  warning:  " + warning);
      }
      List<String> problems = new ArrayList<>(report.problems());
      problems.addAll(witnessProblems);
      for (String problem : problems) {
        err.println("MISMATCH: " + problem);
      }
      out.println(problems.isEmpty()
          ? "OK: " + report.matched().size() + " of " + sources.size()
              + " checkpoints checked, all consistent with the log"
              + (witnesses.isEmpty() ? "" : "; cosigned by all " + witnesses.size() + " witnesses")
          : "FAILED: " + problems.size() + " problem(s)");
      return problems.isEmpty() ? Exits.OK : Exits.ERROR;
    }
  }

  @Command(
      name = "verify-receipt",
      mixinStandardHelpOptions = true,
      description = {
        "Check a receipt offline: its checkpoint is signed by --key, and its inclusion proof puts",
        "the leaf at logIndex under that checkpoint's root.",
        "Receipt JSON: {logIndex, treeSize, leafHash, inclusionProof[], checkpoint}, hashes base64."})
  static final class VerifyReceipt implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--receipt", required = true, paramLabel = "FILE", description = "the receipt JSON")
    Path receipt;

    @Option(names = "--key", required = true, paramLabel = "KEY",
        description = "the note verifier key <origin>+<hex key hash>+<base64 key>")
    String key;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<CheckpointVerifier> maybeVerifier = verifier(key, err);
      if (maybeVerifier.isEmpty()) {
        return Exits.ERROR;
      }
      CheckpointVerifier verifier = maybeVerifier.get();
      Receipt parsed;
      try {
        parsed = parse(new ObjectMapper().readTree(receipt.toFile()));
      } catch (IOException | IllegalArgumentException e) {
        err.println(receipt + " is not a receipt: " + e.getMessage());
        return Exits.ERROR;
      }
      try {
        Checkpoint checkpoint = parsed.verify(verifier);
        out.println("OK: entry " + parsed.logIndex() + " is in " + checkpoint.origin()
            + " at tree size " + checkpoint.size() + ", root "
            + Base64.getEncoder().encodeToString(checkpoint.rootHash()));
        return Exits.OK;
      } catch (CheckpointException | ProofException e) {
        err.println("MISMATCH: " + e.getMessage());
        return Exits.ERROR;
      }
    }

    static Receipt parse(JsonNode json) {
      List<byte[]> proof = new ArrayList<>();
      JsonNode hashes = required(json, "inclusionProof");
      if (!hashes.isArray()) {
        throw new IllegalArgumentException("inclusionProof must be an array of base64 hashes");
      }
      for (JsonNode hash : hashes) {
        proof.add(base64(hash, "inclusionProof[]"));
      }
      return new Receipt(
          number(required(json, "logIndex"), "logIndex"),
          number(required(json, "treeSize"), "treeSize"),
          base64(required(json, "leafHash"), "leafHash"),
          proof,
          text(required(json, "checkpoint"), "checkpoint"));
    }

    private static JsonNode required(JsonNode json, String field) {
      JsonNode node = json.get(field);
      if (node == null || node.isNull()) {
        throw new IllegalArgumentException("field " + field + " is missing");
      }
      return node;
    }

    private static long number(JsonNode node, String field) {
      if (!node.isIntegralNumber() || !node.canConvertToLong()) {
        throw new IllegalArgumentException(field + " must be an integer");
      }
      return node.longValue();
    }

    private static String text(JsonNode node, String field) {
      if (!node.isTextual()) {
        throw new IllegalArgumentException(field + " must be a string");
      }
      return node.textValue();
    }

    private static byte[] base64(JsonNode node, String field) {
      try {
        return Base64.getDecoder().decode(text(node, field));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + " is not base64: " + e.getMessage());
      }
    }
  }

}
