package nl.schakel.node;

/**
 * Why this node will not answer a question: a stable reason code (as in COVENANT.md, or the node's
 * own such as {@code covenant-unknown}) and a text for people. It becomes an Answer with outcome
 * REFUSED, signed like any other, never a gRPC error, so the gateway can tell "refused" from
 * "unavailable" (principle 4). Control flow between the node's checks, hence no stack trace.
 */
final class Refused extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;

  Refused(String code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  String code() {
    return code;
  }

  String detail() {
    return getMessage();
  }
}
