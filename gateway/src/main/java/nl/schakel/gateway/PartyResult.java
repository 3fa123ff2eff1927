package nl.schakel.gateway;

import nl.schakel.covenant.Decision;

/** What became of one party in one question: denied by the convenant, answered, or unavailable. */
sealed interface PartyResult permits PartyResult.Denied, PartyResult.Answered, PartyResult.Unavailable {
  String party();

  record Denied(Decision.Deny deny) implements PartyResult {
    @Override
    public String party() {
      return deny.party();
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
