package nl.schakel.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.audit.MerkleHash;
import nl.schakel.audit.Tiles;
import nl.schakel.proto.v1.AuditEntry;
import nl.schakel.proto.v1.ResponderEntry;
import nl.schakel.trust.pseudonym.Pseudonymiser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit endpoints of API.md ("Audit"). Role {@code fg} sees every entry; role {@code auditor}
 * sees in full the entries in which its own party asked (asker or approver) or answered (a
 * responder with decision allow), and of all others only the leaf hash, enough to recompute roots
 * but not to read the entry (the leaf bytes are the entry); anyone else gets 403. Every call,
 * refused ones included, is logged as an {@code AUDIT_ACCESS} entry before the answer is sent (503
 * when that fails); a 400 (malformed call) is not, like malformed questions (D5).
 */
final class AuditHandler {
  private static final Logger log = LoggerFactory.getLogger(AuditHandler.class);
  static final String AUDITOR = "auditor";
  static final String FG = "fg";
  /** Most entries one call of entries or search returns. */
  static final int MAX_ENTRIES = 1000;
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,17}");
  private static final Pattern TILE = Pattern.compile("([0-9]{1,2})/((?:x[0-9]{3}/){0,5}[0-9]{3})(?:\\.p/([0-9]{1,3}))?");
  private static final String TILE_PREFIX = "/v1/audit/tile/";

  private final AuditTrail audit;
  private final CheckpointSigner signer;
  private final Pseudonymiser auditPseudonyms;
  private final Clock clock;
  private final QueryRequestParser parser = new QueryRequestParser();
  private final Witnesses witnesses;

  AuditHandler(AuditTrail audit, CheckpointSigner signer, Pseudonymiser auditPseudonyms, Clock clock,
      Witnesses witnesses) {
    this.witnesses = witnesses;
    this.audit = audit;
    this.signer = signer;
    this.auditPseudonyms = auditPseudonyms;
    this.clock = clock;
  }

  /** Sends a response computed off the event loop. */
  @FunctionalInterface
  private interface Responder {
    void send(RoutingContext ctx);
  }

  /** What a caller may read: everything (fg), or in full only its own party's entries (auditor). */
  private record Access(boolean all, String party) {
    static Optional<Access> of(Asker asker) {
      if (asker.roles().contains(FG)) {
        return Optional.of(new Access(true, asker.party()));
      }
      if (asker.roles().contains(AUDITOR)) {
        return Optional.of(new Access(false, asker.party()));
      }
      return Optional.empty();
    }

    boolean mayRead(AuditEntry e) {
      if (all || e.getAskerParty().equals(party) || e.getApproverParty().equals(party)) {
        return true;
      }
      for (ResponderEntry r : e.getRespondersList()) {
        if (r.getParty().equals(party) && r.getDecision().equals("allow")) {
          return true;
        }
      }
      return false;
    }
  }

  // ------------------------------------------------------------------ endpoints

  void checkpoint(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      if (!onlyParams(ctx, Set.of())) {
        return;
      }
      logged(ctx, asker, "GET /v1/audit/checkpoint", ByteString.EMPTY, access -> {
        // Read after the access entry is durable, so the checkpoint covers it.
        Optional<String> note = audit.log().checkpoint();
        if (note.isEmpty()) {
          return c -> Problem.of(503, "no-checkpoint", "No signed checkpoint",
              "This gateway's audit log store signs no checkpoints; contact the operator").send(c);
        }
        return c -> text(c, note.get());
      });
    });
  }

  /** The newest checkpoint the nodes cosigned, with their cosignature lines after the gateway's. */
  void cosignedCheckpoint(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      if (!onlyParams(ctx, Set.of())) {
        return;
      }
      logged(ctx, asker, "GET /v1/audit/checkpoint/cosigned", ByteString.EMPTY, access -> {
        Optional<String> note = witnesses.cosigned();
        if (note.isEmpty()) {
          return c -> Problem.of(404, "no-cosigned-checkpoint", "No cosigned checkpoint yet",
              "No node has cosigned a checkpoint of this log yet; see /v1/audit/witnesses for why").send(c);
        }
        return c -> text(c, note.get());
      });
    });
  }

  /** Per witness: its cosignature verifier key, what it cosigned last and when, its last error. */
  void witnesses(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      if (!onlyParams(ctx, Set.of())) {
        return;
      }
      logged(ctx, asker, "GET /v1/audit/witnesses", ByteString.EMPTY, access -> {
        JsonArray list = new JsonArray();
        for (Witnesses.Status w : witnesses.statuses()) {
          JsonObject json = new JsonObject().put("party", w.party()).put("verifierKey", w.verifierKey())
              .put("cosignedSize", w.cosignedSize());
          w.cosignedAt().ifPresent(t -> json.put("cosignedAt", t.toString()));
          w.lastError().ifPresent(e -> json.put("lastError", e));
          list.add(json);
        }
        return c -> Http.json(c, 200, new JsonObject().put("witnesses", list));
      });
    });
  }

  void verifierKey(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      if (!onlyParams(ctx, Set.of())) {
        return;
      }
      logged(ctx, asker, "GET /v1/audit/verifier-key", ByteString.EMPTY, access -> c -> text(c, signer.verifierKey() + "\n"));
    });
  }

  void entries(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      List<FieldError> errors = new ArrayList<>();
      if (!onlyParams(ctx, Set.of("start", "end"))) {
        return;
      }
      long size = audit.log().size();
      long start = number(ctx, "start", errors);
      long end = number(ctx, "end", errors);
      if (errors.isEmpty()) {
        if (start > end) {
          errors.add(new FieldError("end", "must be at least start (" + start + "), found " + end));
        } else if (end > size) {
          errors.add(new FieldError("end", "must be at most the log size " + size + ", found " + end));
        } else if (end - start > MAX_ENTRIES) {
          errors.add(new FieldError("end", "may be at most start + " + MAX_ENTRIES + ", found start + " + (end - start)));
        }
      }
      if (!errors.isEmpty()) {
        Problem.invalid(errors).send(ctx);
        return;
      }
      logged(ctx, asker, "GET /v1/audit/entries start=" + start + " end=" + end, ByteString.EMPTY, access -> {
        JsonArray list = new JsonArray();
        for (long i = start; i < end; i++) {
          list.add(entryJson(i, audit.log().entry(i), access));
        }
        return c -> Http.json(c, 200, new JsonObject().put("entries", list));
      });
    });
  }

  void inclusionProof(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      List<FieldError> errors = new ArrayList<>();
      if (!onlyParams(ctx, Set.of("index", "treeSize"))) {
        return;
      }
      long size = audit.log().size();
      long index = number(ctx, "index", errors);
      long treeSize = number(ctx, "treeSize", errors);
      if (errors.isEmpty()) {
        if (treeSize > size) {
          errors.add(new FieldError("treeSize", "must be at most the log size " + size + ", found " + treeSize));
        } else if (index >= treeSize) {
          errors.add(new FieldError("index", "must be below treeSize (" + treeSize + "), found " + index));
        }
      }
      if (!errors.isEmpty()) {
        Problem.invalid(errors).send(ctx);
        return;
      }
      logged(ctx, asker, "GET /v1/audit/proof/inclusion index=" + index + " treeSize=" + treeSize, ByteString.EMPTY,
          access -> hashes(audit.log().inclusionProof(index, treeSize)));
    });
  }

  void consistencyProof(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      List<FieldError> errors = new ArrayList<>();
      if (!onlyParams(ctx, Set.of("first", "second"))) {
        return;
      }
      long size = audit.log().size();
      long first = number(ctx, "first", errors);
      long second = number(ctx, "second", errors);
      if (errors.isEmpty()) {
        if (first < 1) {
          errors.add(new FieldError("first", "must be at least 1, found " + first));
        } else if (first > second) {
          errors.add(new FieldError("second", "must be at least first (" + first + "), found " + second));
        } else if (second > size) {
          errors.add(new FieldError("second", "must be at most the log size " + size + ", found " + second));
        }
      }
      if (!errors.isEmpty()) {
        Problem.invalid(errors).send(ctx);
        return;
      }
      logged(ctx, asker, "GET /v1/audit/proof/consistency first=" + first + " second=" + second, ByteString.EMPTY,
          access -> hashes(audit.log().consistencyProof(first, second)));
    });
  }

  /** A tlog-tiles hash tile: 404 for a tile beyond the tree, entry bundles, or a store without tiles. */
  void tile(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      if (!onlyParams(ctx, Set.of())) {
        return;
      }
      String path = ctx.request().path().substring(TILE_PREFIX.length());
      Matcher m = TILE.matcher(path);
      int level = 0;
      long index = 0;
      int width = Tiles.WIDTH;
      boolean valid = m.matches();
      if (valid) {
        level = Integer.parseInt(m.group(1));
        index = Long.parseLong(m.group(2).replace("x", "").replace("/", ""));
        width = m.group(3) == null ? Tiles.WIDTH : Integer.parseInt(m.group(3));
        valid = level <= Tiles.MAX_LEVEL && width >= 1 && width <= Tiles.WIDTH
            && Tiles.path(level, index, width).equals("tile/" + path);
      }
      if (!valid) {
        Problem.invalid(List.of(new FieldError("tilePath",
            "must be a canonical tlog-tiles path <L>/<N>[.p/<W>] (N in groups x000/.../000, 1 <= W < 256)"))).send(ctx);
        return;
      }
      byte[] tile;
      try {
        if (!(audit.log() instanceof FileAuditLog file)) {
          throw new IllegalArgumentException("no tiles");
        }
        tile = file.tile(level, index, width);
      } catch (IllegalArgumentException e) {
        Problem.of(404, "tile-not-found", "No such tile", "The tile lies beyond the log, or this store serves no tiles")
            .send(ctx);
        return;
      }
      logged(ctx, asker, "GET /v1/audit/tile/" + path, ByteString.EMPTY, access -> c -> c.response().setStatusCode(200)
          .putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(tile)));
    });
  }

  /**
   * Entries matching every criterion given, oldest first, at most {@link #MAX_ENTRIES}; an auditor
   * finds only entries it may read in full. The subject is compared as its audit pseudonym, and only
   * that pseudonym is logged.
   */
  void search(RoutingContext ctx) {
    Http.caller(ctx).ifPresent(asker -> {
      AuditSearch criteria;
      try {
        criteria = parser.parseSearch(ctx.body().asString());
      } catch (InvalidRequestException e) {
        Problem.invalid(e.errors()).send(ctx);
        return;
      }
      // Pseudonymised at once: nothing after this holds the identifier.
      ByteString pseudonym = criteria.subject().filter(s -> s instanceof QuerySubject.Identified)
          .map(s -> ByteString.copyFrom(auditPseudonyms.pseudonymise(((QuerySubject.Identified) s).identifier()).bytes()))
          .orElse(ByteString.EMPTY);
      Optional<String> area = criteria.subject().filter(s -> s instanceof QuerySubject.Area)
          .map(s -> ((QuerySubject.Area) s).code().code());
      StringBuilder call = new StringBuilder("POST /v1/audit/search");
      criteria.subject().ifPresent(s -> call.append(" subject=").append(s.type().toString().toLowerCase()));
      criteria.purpose().ifPresent(p -> call.append(" purpose=").append(p));
      criteria.analyst().ifPresent(p -> call.append(" analyst=").append(p));
      criteria.caseReference().ifPresent(p -> call.append(" caseReference=").append(p));
      criteria.from().ifPresent(p -> call.append(" from=").append(p));
      criteria.to().ifPresent(p -> call.append(" to=").append(p));
      logged(ctx, asker, call.toString(), pseudonym, access -> {
        JsonArray list = new JsonArray();
        boolean truncated = false;
        long size = audit.log().size();
        for (long i = 0; i < size; i++) {
          byte[] leaf = audit.log().entry(i);
          Optional<AuditEntry> entry = decode(leaf);
          if (entry.isEmpty() || !access.mayRead(entry.get())
              || !matches(entry.get(), criteria, pseudonym, area)) {
            continue;
          }
          if (list.size() == MAX_ENTRIES) {
            truncated = true;
            break;
          }
          list.add(entryJson(i, leaf, access));
        }
        boolean more = truncated;
        return c -> Http.json(c, 200, new JsonObject().put("entries", list).put("truncated", more));
      });
    });
  }

  private static boolean matches(AuditEntry e, AuditSearch c, ByteString pseudonym, Optional<String> area) {
    if (!pseudonym.isEmpty() && !pseudonym.equals(e.getSubjectAuditPseudonym())) {
      return false;
    }
    if (area.isPresent() && !area.get().equals(e.getAreaCode())) {
      return false;
    }
    return c.purpose().map(p -> p.equals(e.getPurpose())).orElse(true)
        && c.analyst().map(p -> p.equals(e.getAskerPerson())).orElse(true)
        && c.caseReference().map(p -> p.equals(e.getCaseReference())).orElse(true)
        && c.from().map(f -> e.getTimeEpochMs() >= f.toEpochMilli()).orElse(true)
        && c.to().map(t -> e.getTimeEpochMs() < t.toEpochMilli()).orElse(true);
  }

  // ------------------------------------------------------------------ logging the call

  /**
   * Logs the call as an {@code AUDIT_ACCESS} entry, then answers: 403 for a caller without role
   * auditor or fg, otherwise what {@code respond} computes: off the event loop, since it reads the
   * log from disk (search reads all of it). 503 when the entry cannot be written.
   */
  private void logged(RoutingContext ctx, Asker asker, String call, ByteString subjectPseudonym,
      Function<Access, Responder> respond) {
    Optional<Access> access = Access.of(asker);
    AuditEntry.Builder entry = AuditEntry.newBuilder()
        .setKind(AuditEntry.Kind.AUDIT_ACCESS)
        .setTimeEpochMs(clock.millis())
        .setAskerParty(asker.party())
        .setAskerPerson(asker.person())
        .addAllAskerRoles(asker.roles().stream().sorted().toList())
        .setAuditCall(call)
        .setSubjectAuditPseudonym(subjectPseudonym)
        .setStatus(access.isPresent() ? "complete" : "refused");
    Future.fromCompletionStage(audit.append(entry.build()), ctx.vertx().getOrCreateContext())
        .onSuccess(appended -> {
          log.info("audit access asker={}/{} call={} allowed={}", asker.party(), asker.person(),
              call.split(" ", 3)[0] + " " + call.split(" ", 3)[1], access.isPresent());
          if (access.isEmpty()) {
            Problem.of(403, "not-an-auditor", "Not an auditor",
                "The audit log is read by role " + AUDITOR + " (own party's entries) or " + FG
                    + " (all entries); your roles are " + asker.roles().stream().sorted().toList()).send(ctx);
            return;
          }
          ctx.vertx().executeBlocking(() -> respond.apply(access.get()), false)
              .onSuccess(responder -> responder.send(ctx))
              .onFailure(err -> Http.failure(ctx, err));
        })
        .onFailure(err -> Problem.of(503, "audit-log-unavailable", "The audit log cannot be written",
            "Nothing was served: every call to the audit endpoints is logged first. Try again later or contact the operator.")
            .send(ctx));
  }

  // ------------------------------------------------------------------ shapes

  /**
   * One entry: {@code index} and {@code leafHash} always (so anyone can recompute roots); {@code
   * leaf} (the exact bytes) and {@code entry} (decoded) only when the caller may read it.
   */
  static JsonObject entryJson(long index, byte[] leaf, Access access) {
    JsonObject json = new JsonObject().put("index", index).put("leafHash", B64.encodeToString(MerkleHash.leafHash(leaf)));
    Optional<AuditEntry> entry = decode(leaf);
    if (access.all() || entry.isPresent() && access.mayRead(entry.get())) {
      json.put("leaf", B64.encodeToString(leaf));
      entry.ifPresent(e -> json.put("entry", messageJson(e)));
    }
    return json;
  }

  private static Optional<AuditEntry> decode(byte[] leaf) {
    try {
      return Optional.of(AuditEntry.parseFrom(leaf));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /**
   * A readable decoding in the style of protobuf's JSON mapping: lowerCamelCase field names, fields
   * at their default left out, enums by name, bytes in base64.
   */
  static JsonObject messageJson(Message message) {
    JsonObject json = new JsonObject();
    for (Map.Entry<FieldDescriptor, Object> f : message.getAllFields().entrySet()) {
      FieldDescriptor field = f.getKey();
      if (field.isRepeated()) {
        JsonArray list = new JsonArray();
        ((List<?>) f.getValue()).forEach(v -> list.add(value(field, v)));
        json.put(field.getJsonName(), list);
      } else {
        json.put(field.getJsonName(), value(field, f.getValue()));
      }
    }
    return json;
  }

  private static Object value(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case ENUM -> ((EnumValueDescriptor) value).getName();
      case BYTE_STRING -> B64.encodeToString(((ByteString) value).toByteArray());
      case MESSAGE -> messageJson((Message) value);
      default -> value;
    };
  }

  private static Responder hashes(List<byte[]> hashes) {
    JsonArray list = new JsonArray();
    hashes.forEach(h -> list.add(B64.encodeToString(h)));
    return c -> Http.json(c, 200, new JsonObject().put("hashes", list));
  }

  private static void text(RoutingContext ctx, String body) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }

  /** Rejects query parameters other than {@code known}, and any given twice; false after a 400. */
  private static boolean onlyParams(RoutingContext ctx, Set<String> known) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : ctx.queryParams().names()) {
      if (!known.contains(name)) {
        String shown = name.matches("[A-Za-z][A-Za-z0-9]{0,31}") ? name : "(unprintable name)";
        errors.add(new FieldError(shown, "unknown query parameter; expected " + known.stream().sorted().toList()));
      } else if (ctx.queryParam(name).size() > 1) {
        errors.add(new FieldError(name, "is given more than once"));
      }
    }
    if (!errors.isEmpty()) {
      Problem.invalid(errors).send(ctx);
      return false;
    }
    return true;
  }

  private static long number(RoutingContext ctx, String name, List<FieldError> errors) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty()) {
      errors.add(new FieldError(name, "is required: a whole number >= 0"));
      return -1;
    }
    if (!NUMBER.matcher(values.get(0)).matches()) {
      errors.add(new FieldError(name, "must be a whole number >= 0 without sign or leading zeros"));
      return -1;
    }
    return Long.parseLong(values.get(0));
  }
}
