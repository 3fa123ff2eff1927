package nl.schakel.proto.v1;

/** The DSSE payload types of the envelopes exchanged over {@code NodeService}. */
public final class PayloadTypes {
  public static final String QUESTION = "application/vnd.schakel.question.v1+protobuf";
  public static final String ANSWER = "application/vnd.schakel.answer.v1+protobuf";

  private PayloadTypes() {}
}
