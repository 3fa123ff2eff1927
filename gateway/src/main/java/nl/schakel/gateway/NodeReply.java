package nl.schakel.gateway;

import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Envelope;

/** What came back from one node: its answer, or why there is none. Never "no-hit" by default. */
sealed interface NodeReply permits NodeReply.Answered, NodeReply.Unavailable {
  String party();

  /** The node's answer, and the envelope exactly as the node sent it. */
  record Answered(String party, Answer answer, Envelope envelope) implements NodeReply {}

  /** No usable answer: down, too slow, or it sent something that is not a valid answer. */
  record Unavailable(String party, String reason) implements NodeReply {}
}
