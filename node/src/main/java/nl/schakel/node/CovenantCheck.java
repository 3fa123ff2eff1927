package nl.schakel.node;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import nl.schakel.covenant.DenyReason;
import nl.schakel.proto.v1.Question;

/**
 * Whether a question cites a convenant this node holds, in exactly the text it holds, not one
 * superseded by a newer version in force, and in force itself at the question's issue instant
 * ({@link nl.schakel.covenant.SignedCovenant#inForceAt}: within its dates and signed by every party
 * it names). Only then may the node's own copy decide the question.
 */
final class CovenantCheck {
  // The cited id is the gateway's input: it is repeated in a refusal only when it looks like an id.
  private static final Pattern ID = Pattern.compile("[a-z0-9-]{3,64}");
  private static final int SHORT_HASH_CHARS = 16;

  private final String party;
  private final CovenantCopies copies;

  CovenantCheck(String party, CovenantCopies copies) {
    this.party = party;
    this.copies = copies;
  }

  /**
   * The node's copy of the cited convenant, or the refusal: unknown, hash mismatch, superseded,
   * not in force.
   */
  CovenantCopies.Copy check(Question q, Instant issuedAt) throws Refused {
    String cited = (ID.matcher(q.getCovenantId()).matches() ? q.getCovenantId() : "(an invalid id)")
        + " v" + q.getCovenantVersion();
    CovenantCopies.Copy copy = copies.find(q.getCovenantId(), q.getCovenantVersion())
        .orElseThrow(() -> new Refused("covenant-unknown", party + " holds no convenant " + cited + "; it holds "
            + String.join(", ", copies.all().stream().map(CovenantCopies.Copy::label).toList())));
    if (!MessageDigest.isEqual(copy.hash().toByteArray(), q.getCovenantHash().toByteArray())) {
      // The gateway runs another text under the same id and version: nobody signed both.
      throw new Refused("covenant-hash-mismatch", "the question cites convenant " + cited + " with hash "
          + shortHex(q.getCovenantHash().toByteArray()) + ", but " + party + "'s copy has hash "
          + shortHex(copy.hash().toByteArray()));
    }
    var newer = copies.newerInForce(q.getCovenantId(), q.getCovenantVersion(), issuedAt);
    if (newer.isPresent()) {
      throw new Refused("covenant-superseded", "convenant " + cited + " is superseded by "
          + newer.get().label() + ", in force from " + newer.get().covenant().validFrom()
          + "; questions must cite the highest version in force");
    }
    if (!copies.inForce(copy, issuedAt)) {
      throw new Refused(DenyReason.COVENANT_NOT_IN_FORCE.code(), "convenant " + copy.label() + " is not in force: "
          + copy.signed().whyNotInForceAt(issuedAt).orElse("(no reason given)"));
    }
    return copy;
  }

  private static String shortHex(byte[] hash) {
    String hex = HexFormat.of().formatHex(hash);
    return hash.length == 0 ? "(none)" : hex.substring(0, Math.min(SHORT_HASH_CHARS, hex.length())) + "...";
  }
}
