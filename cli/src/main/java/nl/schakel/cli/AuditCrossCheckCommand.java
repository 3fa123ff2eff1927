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
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import nl.schakel.audit.CorruptLogException;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.audit.LogReader;
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
    List<JsonObject> gatewayEntries;
    try {
      AuditGateway client = new AuditGateway(gateway, token);
      gatewayEntries = client.entries(0, client.size());
    } catch (AuditGateway.Failure e) {
      err.println(e.getMessage());
      return Exits.ERROR;
    }
    Map<String, NodeAnswer> answered = new LinkedHashMap<>();
    long rejected = 0;
    for (int i = 0; i < nodeEntries.size(); i++) {
      NodeLogEntry e = nodeEntries.get(i);
      if (!e.getRejected().isEmpty() || e.getAnswerHash().isEmpty() || e.getQuestionId().isEmpty()) {
        rejected++;
        continue;
      }
      answered.putIfAbsent(e.getQuestionId(), new NodeAnswer(i, e.getQuestionId(), e.getAnswerHash()));
    }
    Map<String, GatewayAnswer> claimed = new LinkedHashMap<>();
    Map<String, Long> results = new LinkedHashMap<>();
    long visible = 0;
    for (JsonObject item : gatewayEntries) {
      Optional<AuditEntry> entry = decode(item);
      if (entry.isEmpty()) {
        continue;
      }
      visible++;
      AuditEntry e = entry.get();
      long index = Long.parseLong(String.valueOf(item.getValue("index")));
      if (e.getKind() != AuditEntry.Kind.RESULT) {
        continue;
      }
      results.putIfAbsent(e.getQueryId(), index);
      for (ResponderEntry r : e.getRespondersList()) {
        if (r.getParty().equals(party) && !r.getAnswerHash().isEmpty()) {
          claimed.putIfAbsent(e.getQueryId(), new GatewayAnswer(index, e.getQueryId(), r.getAnswerHash()));
        }
      }
    }
    List<String> mismatches = new ArrayList<>();
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
    mismatches.forEach(m -> err.println("MISMATCH: " + m));
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
