package nl.schakel.gateway;

import nl.schakel.covenant.Decision;

/**
 * What became of one party in one question: denied by the convenant, waiting for four-eyes
 * approval, allowed but not admitted (budget, rejected or expired approval), answered, or
 * unavailable.
 */
sealed interface PartyResult permits PartyResult.Denied, PartyResult.Pending, PartyResult.NotAdmitted,
    PartyResult.Answered, PartyResult.Unavailable {
  String party();

  record Denied(Decision.Deny deny) implements PartyResult {
    @Override
    public String party() {
      return deny.party();
    }
  }

  /** Allowed, and waiting with the whole question for a second person's approval. */
  record Pending(Decision.Allow allow) implements PartyResult {
    @Override
    public String party() {
      return allow.party();
    }
  }

  /**
   * Allowed by the convenant but not asked, because admission refused the question: a reason code
   * such as {@code approval-rejected} and the words for the asker.
   */
  record NotAdmitted(Decision.Allow allow, String reason, String detail) implements PartyResult {
    @Override
    public String party() {
      return allow.party();
    }
  }

  record Answered(Decision.Allow allow, NodeReply.Answered reply) implements PartyResult {
    @Override
    public String party() {
      return allow.party();
    }
  }

  record Unavailable(Decision.Allow allow, String reason) implements PartyResult {
    @Override
    public String party() {
      return allow.party();
    }
  }
}
