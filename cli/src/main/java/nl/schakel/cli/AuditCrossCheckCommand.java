package nl.schakel.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointException;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CorruptLogException;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.audit.LogReader;
import nl.schakel.audit.MerkleHash;
import nl.schakel.audit.MerkleTree;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.ResponderEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel audit cross-check}: a node's auditor holds the gateway to account (issue 5 item
 * 5). Every question the node answered must be in the gateway's log with the very answer hash the
 * node signed, and every answer the gateway says the node gave must be in the node's own log. A
 * gateway that hides a question, or claims an answer the node never signed, shows up here.
 */
@Command(
    name = "cross-check",
    mixinStandardHelpOptions = true,
    description = {"Cross-check a node's own audit log against the gateway's log, by query id and answer hash.",
        "Reads the node log directory read-only (it may be live); reads the gateway's entries visible to",
        "the token (an auditor of --party sees those where the party asked or answered).",
        "The gateway's listing is trusted only after it verifies: the checkpoint is signed by --key (and",
        "cosigned by --witness, if given), every leaf hashes to its leafHash, and all leaf hashes rebuild",
        "the signed root.",
        "Exit 0 when everything matches, 1 on any mismatch or error."})
final class AuditCrossCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--node-log", required = true, paramLabel = "DIR", description = "the node's audit log directory")
  Path nodeLog;

  @Option(names = "--party", required = true, paramLabel = "P", description = "the node's party id")
  String party;

  @Option(names = "--gateway", required = true, paramLabel = "URL", description = "e.g. http://127.0.0.1:8080")
  URI gateway;

  @Option(names = "--token", required = true, paramLabel = "JWT", description = "bearer token of an auditor of --party, or fg")
  String token;

  @Option(names = "--key", required = true, paramLabel = "KEY",
      description = "the gateway's note verifier key <origin>+<hex key hash>+<base64 key>, as audit verify takes")
  String key;

  @Option(names = "--witness", paramLabel = "VERIFIERKEY",
      description = "this node's cosignature verifier key: check the listing against GET /v1/audit/checkpoint/cosigned,"
          + " which must carry this witness's valid cosignature")
  String witness;

  /**
   * The largest tree cross-check reads: every entry is held in memory, so a gateway claiming more
   * is refused before anything is fetched rather than allowed to exhaust the auditor's machine.
   */
  static final long MAX_SIZE = 100_000_000L;

  /** A question the node answered, at its index in the node's log. */
  record NodeAnswer(long index, String queryId, ByteString answerHash) {}

  /** A gateway RESULT entry's claim of P's answer, at its index in the gateway's log. */
  record GatewayAnswer(long index, String queryId, ByteString answerHash) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<NodeLogEntry> nodeEntries;
    try {
      nodeEntries = readNodeLog(nodeLog, err);
    } catch (CorruptLogException e) {
      err.println("MISMATCH: the node log is damaged: " + e.getMessage());
      return Exits.ERROR;
    } catch (IOException e) {
      err.println("cannot read the node log in " + nodeLog + ": " + e.getMessage());
      return Exits.ERROR;
    }
    CheckpointVerifier verifier;
    try {
      verifier = CheckpointVerifier.forVerifierKey(key.strip());
    } catch (CheckpointException | IllegalArgumentException e) {
      err.println("--key: " + e.getMessage());
      return Exits.ERROR;
    }
    List<JsonObject> gatewayEntries;
    try {
      AuditGateway client = new AuditGateway(gateway, token);
      String note = witness == null ? client.checkpoint() : client.cosignedCheckpoint();
      Checkpoint checkpoint;
      try {
        checkpoint = verifier.verify(note);
      } catch (CheckpointException e) {
        err.println(AuditGateway.printable("NOT VERIFIED: the gateway's checkpoint is not signed by --key: "
            + e.getMessage()));
        return Exits.ERROR;
      }
      if (witness != null) {
        Optional<List<String>> problems = AuditWitnesses.check(note, verifier, List.of(witness), out, err);
        if (problems.isEmpty()) {
          return Exits.ERROR;
        }
        if (!problems.get().isEmpty()) {
          problems.get().forEach(p -> err.println(AuditGateway.printable("NOT VERIFIED: " + p)));
          return Exits.ERROR;
        }
      }
      if (checkpoint.size() > MAX_SIZE) {
        err.println("NOT VERIFIED: the signed checkpoint's tree size " + checkpoint.size() + " is above the "
            + MAX_SIZE + " entries cross-check reads; nothing was fetched");
        return Exits.ERROR;
      }
      gatewayEntries = client.entries(0, checkpoint.size());
      Optional<String> unverified = unverified(checkpoint, gatewayEntries);
      if (unverified.isPresent()) {
        err.println(AuditGateway.printable("NOT VERIFIED: " + unverified.get()));
        return Exits.ERROR;
      }
    } catch (AuditGateway.Failure e) {
      err.println(AuditGateway.printable(e.getMessage()));
      return Exits.ERROR;
    }
    List<String> mismatches = new ArrayList<>();
    Map<String, NodeAnswer> answered = new LinkedHashMap<>();
    long rejected = 0;
    for (int i = 0; i < nodeEntries.size(); i++) {
      NodeLogEntry e = nodeEntries.get(i);
      if (!e.getRejected().isEmpty() || e.getAnswerHash().isEmpty() || e.getQuestionId().isEmpty()) {
        rejected++;
        continue;
      }
      NodeAnswer first = answered.putIfAbsent(e.getQuestionId(), new NodeAnswer(i, e.getQuestionId(), e.getAnswerHash()));
      if (first != null) {
        mismatches.add("query " + e.getQuestionId() + ": answered more than once in the node log, at index "
            + first.index() + " and at index " + i);
      }
    }
    Map<String, GatewayAnswer> claimed = new LinkedHashMap<>();
    Map<String, Long> results = new LinkedHashMap<>();
    long visible = 0;
    for (int index = 0; index < gatewayEntries.size(); index++) {
      // unverified(...) checked that every entry's index is its position.
      Optional<AuditEntry> entry = decode(gatewayEntries.get(index));
      if (entry.isEmpty()) {
        continue;
      }
      visible++;
      AuditEntry e = entry.get();
      if (e.getKind() != AuditEntry.Kind.RESULT) {
        continue;
      }
      results.putIfAbsent(e.getQueryId(), (long) index);
      for (ResponderEntry r : e.getRespondersList()) {
        if (r.getParty().equals(party) && !r.getAnswerHash().isEmpty()) {
          GatewayAnswer first = claimed.putIfAbsent(e.getQueryId(),
              new GatewayAnswer(index, e.getQueryId(), r.getAnswerHash()));
          if (first != null) {
            mismatches.add("query " + e.getQueryId() + ": the gateway log records an answer from " + party
                + " more than once, at index " + first.index() + " and at index " + index);
          }
        }
      }
    }
    long matched = 0;
    for (NodeAnswer a : answered.values()) {
      GatewayAnswer g = claimed.get(a.queryId());
      if (g == null) {
        Long result = results.get(a.queryId());
        mismatches.add("query " + a.queryId() + ": node log index " + a.index() + " answered it, but "
            + (result == null ? "the gateway log has no RESULT entry for it (or none visible to you)"
                : "the gateway's RESULT entry at index " + result + " records no answer from " + party));
      } else if (!g.answerHash().equals(a.answerHash())) {
        mismatches.add("query " + a.queryId() + ": answer hash differs: node log index " + a.index() + " has "
            + hex(a.answerHash()) + ", gateway log index " + g.index() + " has " + hex(g.answerHash()));
      } else {
        matched++;
      }
    }
    for (GatewayAnswer g : claimed.values()) {
      if (!answered.containsKey(g.queryId())) {
        mismatches.add("query " + g.queryId() + ": gateway log index " + g.index() + " records an answer from " + party
            + " (hash " + hex(g.answerHash()) + "), but the node log has no answer to it");
      }
    }
    out.println("node log " + nodeLog + " (" + party + "): " + nodeEntries.size() + " entries, " + answered.size()
        + " answered questions, " + rejected + " rejected or unanswered");
    out.println("gateway " + gateway + ": " + gatewayEntries.size() + " entries, " + visible + " visible to you, "
        + claimed.size() + " RESULT entries with an answer from " + party);
    mismatches.forEach(m -> err.println(AuditGateway.printable("MISMATCH: " + m)));
    out.println(mismatches.isEmpty()
        ? "OK: all " + matched + " answers match in both logs"
        : "FAILED: " + mismatches.size() + " mismatch(es), " + matched + " answers match");
    return mismatches.isEmpty() ? Exits.OK : Exits.ERROR;
  }

  /**
   * The node's entries, read without the node's lock: {@link LogReader} first checks every frame
   * of the directory as it is, then a copy of its segments is opened (and any incomplete tail cut
   * off there, never in the node's own directory) to read the entries themselves.
   */
  static List<NodeLogEntry> readNodeLog(Path dir, PrintWriter err) throws IOException {
    LogReader.Result read = LogReader.read(dir);
    read.warnings().forEach(w -> err.println("warning: " + w));
    Path copy = Files.createTempDirectory("schakel-node-log");
    try {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "segment-*")) {
        for (Path f : files) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
      List<NodeLogEntry> entries = new ArrayList<>();
      try (FileAuditLog log = FileAuditLog.open(copy)) {
        long size = Math.min(log.size(), read.tree().size());
        for (long i = 0; i < size; i++) {
          try {
            entries.add(NodeLogEntry.parseFrom(log.entry(i)));
          } catch (InvalidProtocolBufferException e) {
            throw new IOException("entry " + i + " is not a NodeLogEntry: expected a node's log directory");
          }
        }
      }
      return entries;
    } finally {
      try (var walk = Files.walk(copy)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Why the gateway's listing of entries {@code [0, checkpoint.size())} is not the log the
   * checkpoint signs, or empty when it is: one entry per position with its own index, every leaf
   * sent hashing to the leafHash sent beside it, and all leaf hashes rebuilding the signed root.
   * Only then can what the entries say be held against the gateway.
   */
  static Optional<String> unverified(Checkpoint checkpoint, List<JsonObject> entries) {
    if (entries.size() != checkpoint.size()) {
      return Optional.of("the gateway listed " + entries.size() + " entries, but its signed checkpoint covers "
          + checkpoint.size());
    }
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject item = entries.get(i);
      Object index = item.getValue("index");
      if (!(index instanceof Integer || index instanceof Long) || ((Number) index).longValue() != i) {
        return Optional.of("the gateway's entry at position " + i + " has index " + index + ", expected " + i);
      }
      Optional<byte[]> leafHash = base64(item.getValue("leafHash"));
      if (leafHash.isEmpty() || leafHash.get().length != MerkleHash.HASH_BYTES) {
        return Optional.of("the gateway's entry at index " + i + " has no valid leafHash (expected "
            + MerkleHash.HASH_BYTES + " bytes in base64)");
      }
      if (item.containsKey("leaf")) {
        Optional<byte[]> leaf = base64(item.getValue("leaf"));
        if (leaf.isEmpty()) {
          return Optional.of("the gateway's entry at index " + i + " has a leaf that is not base64");
        }
        if (!Arrays.equals(MerkleHash.leafHash(leaf.get()), leafHash.get())) {
          return Optional.of("the gateway's entry at index " + i + " does not hash to its leafHash: the leaf sent is"
              + " not the one logged");
        }
      }
      tree.append(leafHash.get());
    }
    byte[] root = tree.root();
    if (!Arrays.equals(root, checkpoint.rootHash())) {
      return Optional.of("gateway entries do not hash to the signed checkpoint's root: " + entries.size()
          + " leaf hashes give " + hex(ByteString.copyFrom(root)) + ", the checkpoint signs "
          + hex(ByteString.copyFrom(checkpoint.rootHash())));
    }
    return Optional.empty();
  }

  private static Optional<byte[]> base64(Object value) {
    if (!(value instanceof String text)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<AuditEntry> decode(JsonObject item) {
    String leaf = item.getString("leaf");
    if (leaf == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(AuditEntry.parseFrom(Base64.getDecoder().decode(leaf)));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String hex(ByteString hash) {
    String h = HexFormat.of().formatHex(hash.toByteArray());
    return h.length() > 16 ? h.substring(0, 16) + "…" : h;
  }
}
