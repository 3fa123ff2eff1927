package nl.schakel.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A question held for four-eyes approval (COVENANT.md, Admission): the prepared question and the
 * rules that need a second person. Holds pseudonyms only, never the clear identifier.
 *
 * @param fourEyes the (responder, rule) pairs that made it wait; an approver must be allowed to
 *     ask under every one of them
 * @param expiresAt when it can no longer be approved
 */
record PendingApproval(String approvalId, PreparedQuestion question, List<RuleRef> fourEyes, Instant expiresAt) {

  /** A responder and the rule that lets it be asked. */
  record RuleRef(String party, String ruleId) {}

  PendingApproval {
    Objects.requireNonNull(approvalId, "approvalId");
    Objects.requireNonNull(question, "question");
    fourEyes = List.copyOf(fourEyes);
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  List<String> rules() {
    return fourEyes.stream().map(RuleRef::ruleId).distinct().toList();
  }
}
