package nl.schakel.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.AuditLog;
import nl.schakel.covenant.AnswerKind;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.Party;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Count;
import nl.schakel.proto.v1.Envelope;

/** The JSON shapes of API.md for answers, counts, envelopes and receipts. */
final class ResponseJson {
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private ResponseJson() {}

  static JsonObject answer(PartyResult r, Covenant c, String queryId) {
    JsonObject json = new JsonObject().put("party", r.party());
    if (r instanceof PartyResult.Denied d) {
      return json.put("outcome", "refused").put("reason", d.deny().reason().code())
          .put("clause", d.deny().clause()).put("detail", d.deny().text());
    }
    if (r instanceof PartyResult.Pending p) {
      return json.put("answer", p.allow().answer().yamlName()).put("rule", p.allow().ruleId())
          .put("outcome", "pending-approval");
    }
    if (r instanceof PartyResult.NotAdmitted n) {
      return json.put("answer", n.allow().answer().yamlName()).put("rule", n.allow().ruleId())
          .put("outcome", "refused").put("reason", n.reason()).put("detail", n.detail());
    }
    if (r instanceof PartyResult.Unavailable u) {
      json.put("answer", u.allow().answer().yamlName()).put("rule", u.allow().ruleId());
      if (u.allow().answer() == AnswerKind.HIT_ANY) {
        return json; // hit-any: the asker learns only the combined outcome
      }
      return json.put("outcome", "unavailable").put("reason", u.reason());
    }
    PartyResult.Answered a = (PartyResult.Answered) r;
    Answer answer = a.reply().answer();
    json.put("answer", a.allow().answer().yamlName()).put("rule", a.allow().ruleId());
    if (a.allow().answer() == AnswerKind.HIT_ANY) {
      return json;
    }
    switch (answer.getOutcome()) {
      case HIT -> {
        json.put("outcome", "hit");
        Party party = c.parties().get(r.party());
        if (party != null) {
          party.contact().ifPresent(contact -> json.put("contact", contact));
        }
        json.put("answerRef", queryId + "/" + r.party());
      }
      case NO_HIT -> json.put("outcome", "no-hit");
      case COUNT_RESULT -> json.put("outcome", "count").put("count", count(answer.getCount()));
      case REFUSED -> json.put("outcome", "refused").put("reason", answer.getRefusalReason())
          .put("detail", answer.getRefusalDetail());
      default -> json.put("outcome", "unavailable").put("reason", "invalid answer: no outcome");
    }
    return json.put("envelope", envelope(a.reply().envelope()));
  }

  static JsonObject count(Count count) {
    JsonObject json = new JsonObject().put("display", count.getDisplay());
    if (count.hasBand()) {
      json.put("band", new JsonArray().add(count.getBand().getLow())
          .add(count.getBand().getOpenEnded() ? null : count.getBand().getHigh()));
    } else {
      json.put("value", count.getValue());
    }
    return json;
  }

  /** The node's answer exactly as it sent it, in the DSSE JSON envelope format. */
  static JsonObject envelope(Envelope e) {
    JsonArray sigs = new JsonArray();
    e.getSignaturesList().forEach(s -> sigs.add(new JsonObject().put("keyid", s.getKeyid())
        .put("sig", B64.encodeToString(s.getSig().toByteArray()))));
    return new JsonObject().put("payloadType", e.getPayloadType())
        .put("payload", B64.encodeToString(e.getPayload().toByteArray()))
        .put("signatures", sigs);
  }

  /**
   * Where the result entry stands in the log, with the proof that it is included at that size and
   * the gateway's signed checkpoint of that size (API.md; verifiable offline with audit's {@code
   * Receipt} and the key of {@code GET /v1/audit/verifier-key}). {@code rootHash} is the root the
   * checkpoint signs, kept for clients of the receipts before signed checkpoints (D6). A log that
   * signs no checkpoints yields no {@code checkpoint} field rather than an unsigned one.
   */
  static JsonObject receipt(AppendResult r, AuditLog log) {
    JsonArray proof = new JsonArray();
    log.inclusionProof(r.index(), r.treeSize()).forEach(h -> proof.add(B64.encodeToString(h)));
    JsonObject json = new JsonObject()
        .put("logIndex", r.index())
        .put("treeSize", r.treeSize())
        .put("leafHash", B64.encodeToString(r.leafHash()))
        .put("rootHash", B64.encodeToString(r.rootHash()))
        .put("inclusionProof", proof);
    r.checkpoint().ifPresent(c -> json.put("checkpoint", c));
    return json;
  }
}
