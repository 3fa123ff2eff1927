package nl.schakel.gateway;

import com.google.protobuf.ByteString;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointException;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.CosignatureVerifier;
import nl.schakel.proto.v1.CosignRequest;
import nl.schakel.proto.v1.CosignResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node witnesses the gateway's log (issue 5 item 6, C2SP tlog-witness in spirit): each tick
 * the newest checkpoint goes to every node that has not cosigned it, with a consistency proof from
 * the size that node cosigned last. A node cosigns only a tree that extends what it saw before, so
 * the gateway cannot show different histories to different parties, nor roll its log back,
 * without the nodes refusing. The newest checkpoint with the cosignatures collected for exactly it
 * is published (the cosignature lines follow the gateway's own line in the note).
 *
 * <p>Witnessing never blocks questions: it runs on its own thread, and a node that is down or
 * refuses is recorded ({@link Status#lastError}) and asked again next tick. What was published and
 * each node's last cosigned size survive a restart in {@value #FILE} in the state directory.
 */
final class Witnesses {
  private static final Logger log = LoggerFactory.getLogger(Witnesses.class);
  static final String FILE = "witnesses.json";

  /** A witness as the auditors see it on {@code GET /v1/audit/witnesses}. */
  record Status(String party, String verifierKey, long cosignedSize, Optional<Instant> cosignedAt,
      Optional<String> lastError) {}

  /** How the witnesses are reached: {@link NodeClients} in production. */
  interface Calls {
    CompletableFuture<CosignResponse> cosign(String party, CosignRequest request);

    String failure(String party, Throwable t);
  }

  private final AuditLog auditLog;
  private final CheckpointVerifier own;
  private final Map<String, CosignatureVerifier> verifiers;
  private final Calls calls;
  private final Path file;
  private final Clock clock;
  private final long waitMillis;

  // Guarded by this: ticks are serialised, readers see a consistent state.
  private final Map<String, Long> sizes = new TreeMap<>();
  /** The largest size any node has cosigned; read by readiness checks without the lock a tick holds. */
  private volatile long largestCosigned;
  private final Map<String, Instant> times = new TreeMap<>();
  private final Map<String, String> errors = new TreeMap<>();
  /** Cosignature lines for {@link #collectingFor}, per party. */
  private final Map<String, String> collected = new TreeMap<>();
  private String collectingFor = "";
  private Optional<String> published = Optional.empty();

  /**
   * @param verifiers per party its cosignature verifier ({@code schakel/node/<party>} and the
   *     party's certified signing key)
   * @param waitMillis how long one tick waits for all nodes (they have their own deadline)
   */
  Witnesses(AuditLog auditLog, CheckpointVerifier own, Map<String, CosignatureVerifier> verifiers, Calls calls,
      Path stateDir, Clock clock, long waitMillis) throws IOException {
    this.auditLog = auditLog;
    this.own = own;
    this.verifiers = Map.copyOf(verifiers);
    this.calls = calls;
    this.file = stateDir.resolve(FILE);
    this.clock = clock;
    this.waitMillis = waitMillis;
    load();
  }

  static String name(String party) {
    return "schakel/node/" + party;
  }

  /**
   * Why this log cannot be the one the nodes witnessed — it is shorter than a checkpoint a node
   * cosigned, so it was truncated or replaced — or empty. A gateway in that state must not take
   * questions until an operator restores the log: readiness fails on it.
   */
  Optional<String> rollback() {
    long size = auditLog.size();
    long cosigned = largestCosigned;
    return cosigned > size
        ? Optional.of("the audit log holds " + size + " entries but the nodes cosigned a checkpoint of size "
            + cosigned + ": it was truncated or replaced; restore it")
        : Optional.empty();
  }

  /** The newest checkpoint with its cosignatures, once any node has cosigned one. */
  synchronized Optional<String> cosigned() {
    return published;
  }

  synchronized List<Status> statuses() {
    List<Status> list = new ArrayList<>();
    new TreeMap<>(verifiers).forEach((party, v) -> list.add(new Status(party, v.verifierKey(),
        sizes.getOrDefault(party, 0L), Optional.ofNullable(times.get(party)), Optional.ofNullable(errors.get(party)))));
    return list;
  }

  /**
   * One round: asks every node that has not cosigned the newest checkpoint, keeps each
   * cosignature that verifies, publishes and persists. Blocking (network and fsync): never call
   * it on the event loop.
   */
  synchronized void tick() {
    Optional<String> newest = auditLog.checkpoint();
    if (newest.isEmpty()) {
      return;
    }
    String note = newest.get();
    Checkpoint checkpoint;
    try {
      checkpoint = own.verify(note);
    } catch (CheckpointException e) {
      log.error("witnessing: the log's own checkpoint does not verify: {}", e.getMessage());
      return;
    }
    if (!note.equals(collectingFor)) {
      collectingFor = note;
      collected.clear();
    }
    Map<String, CompletableFuture<Optional<String>>> pending = new LinkedHashMap<>();
    for (String party : new TreeMap<>(verifiers).keySet()) {
      if (!collected.containsKey(party)) {
        pending.put(party, ask(party, note, checkpoint));
      }
    }
    boolean changed = false;
    for (var call : pending.entrySet()) {
      String party = call.getKey();
      Optional<String> line;
      try {
        line = call.getValue().get(waitMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        errors.put(party, "no cosignature within " + waitMillis + " ms");
        continue;
      } catch (ExecutionException e) {
        errors.put(party, failure(party, e.getCause()));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (line.isPresent()) {
        collected.put(party, line.get());
        sizes.put(party, checkpoint.size());
        largestCosigned = Math.max(largestCosigned, checkpoint.size());
        times.put(party, clock.instant());
        errors.remove(party);
        changed = true;
      }
    }
    if (changed) {
      StringBuilder cosigned = new StringBuilder(note);
      collected.values().forEach(l -> cosigned.append(l).append('\n'));
      published = Optional.of(cosigned.toString());
      save();
    }
  }

  private String failure(String party, Throwable t) {
    return t instanceof Refusal r ? r.getMessage() : calls.failure(party, t);
  }

  /**
   * Asks one node, retrying once when it names the size it really cosigned last; completes with
   * the verified cosignature line, or empty with the reason recorded in {@link #errors}.
   */
  private CompletableFuture<Optional<String>> ask(String party, String note, Checkpoint checkpoint) {
    long last = sizes.getOrDefault(party, 0L);
    // A node that cosigned more than this log holds now: only a fresh start (size 0) lets it say
    // so (known_size), since no proof runs backwards.
    long oldSize = last <= checkpoint.size() ? last : 0;
    return call(party, note, checkpoint, oldSize).thenCompose(response -> {
      if (response.getResultCase() != CosignResponse.ResultCase.KNOWN_SIZE) {
        return CompletableFuture.completedFuture(response);
      }
      long known = response.getKnownSize();
      if (known > checkpoint.size()) {
        return CompletableFuture.completedFuture(response);
      }
      return call(party, note, checkpoint, known);
    }).thenApply(response -> accept(party, checkpoint, response));
  }

  private CompletableFuture<CosignResponse> call(String party, String note, Checkpoint checkpoint, long oldSize) {
    CosignRequest.Builder request = CosignRequest.newBuilder().setOldSize(oldSize).setCheckpoint(note);
    if (oldSize > 0 && oldSize < checkpoint.size()) {
      auditLog.consistencyProof(oldSize, checkpoint.size())
          .forEach(h -> request.addConsistencyProof(ByteString.copyFrom(h)));
    }
    return calls.cosign(party, request.build());
  }

  // Runs on a gRPC thread and touches no state: the tick records what it returns or throws.
  private Optional<String> accept(String party, Checkpoint checkpoint, CosignResponse response) {
    switch (response.getResultCase()) {
      case COSIGNATURE -> {
        String line = response.getCosignature();
        try {
          verifiers.get(party).verify(checkpoint, line);
        } catch (CheckpointException e) {
          log.warn("INCIDENT witness party={} sent a cosignature that does not verify: {}", party, e.getMessage());
          throw new Refusal("cosignature does not verify: " + e.getMessage());
        }
        return Optional.of(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
      }
      case KNOWN_SIZE -> {
        long known = response.getKnownSize();
        if (known > checkpoint.size()) {
          log.warn("INCIDENT witness party={} has cosigned tree size {}, more than this log's {}: a fork or a rollback",
              party, known, checkpoint.size());
          throw new Refusal("the node has cosigned tree size " + known + ", larger than this log's " + checkpoint.size()
              + ": the log was forked or rolled back");
        }
        throw new Refusal("the node keeps naming another cosigned size (" + known + ") after a retry");
      }
      default -> throw new Refusal("the node sent neither a cosignature nor its known size");
    }
  }

  /** A witness's reply that is no cosignature; its message is the recorded error. */
  static final class Refusal extends RuntimeException {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  // ------------------------------------------------------------------ persistence

  private void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IOException(file + " is not the JSON the gateway writes: " + e.getMessage(), e);
    }
    published = Optional.ofNullable(json.getString("cosigned"));
    JsonObject nodes = json.getJsonObject("witnesses", new JsonObject());
    for (String party : nodes.fieldNames()) {
      JsonObject w = nodes.getJsonObject(party);
      sizes.put(party, w.getLong("size", 0L));
      largestCosigned = Math.max(largestCosigned, w.getLong("size", 0L));
      Optional.ofNullable(w.getString("time")).ifPresent(t -> times.put(party, Instant.parse(t)));
    }
  }

  /** Temp file, fsync, atomic rename: a crash leaves the old state or the new, never half. */
  private void save() {
    JsonObject nodes = new JsonObject();
    sizes.forEach((party, size) -> {
      JsonObject w = new JsonObject().put("size", size);
      Optional.ofNullable(times.get(party)).ifPresent(t -> w.put("time", t.toString()));
      nodes.put(party, w);
    });
    JsonObject json = new JsonObject().put("witnesses", nodes);
    published.ifPresent(p -> json.put("cosigned", p));
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(json.encodePrettily().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        log.debug("cannot fsync directory of {}: {}", FILE, e.getClass().getSimpleName());
      }
    } catch (IOException e) {
      // Only a restart would lose the state; witnessing goes on, questions are not affected.
      log.error("witnessing: cannot persist {}: {}", FILE, e.getClass().getSimpleName());
    }
  }
}
