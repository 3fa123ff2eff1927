package nl.schakel.trust.sign;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * DSSE v1, the Dead Simple Signing Envelope (secure-systems-lab/dsse, protocol.md): a signature
 * covers the payload <em>and</em> its type, so a signed answer can never be passed off as a signed
 * question, and the signed bytes are the payload as transmitted, so verifying needs no parsing.
 */
public final class Dsse {

  private static final byte[] PREFIX = "DSSEv1".getBytes(StandardCharsets.US_ASCII);
  private static final byte SP = 0x20;

  private Dsse() {}

  /**
   * The pre-authentication encoding that is signed: {@code "DSSEv1" SP LEN(type) SP type SP
   * LEN(payload) SP payload}, where type is the UTF-8 of {@code payloadType} and LEN the ASCII
   * decimal of a byte length without leading zeros. For example type {@code
   * http://example.com/HelloWorld} and payload {@code hello world} give {@code DSSEv1 29
   * http://example.com/HelloWorld 11 hello world}.
   *
   * @throws IllegalArgumentException if {@code payloadType} holds an unpaired surrogate (it has no
   *     UTF-8 encoding, and a replacement character would let two types sign alike)
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    byte[] type = utf8(payloadType);
    byte[] typeLen = decimal(type.length);
    byte[] payloadLen = decimal(payload.length);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(
            PREFIX.length + typeLen.length + type.length + payloadLen.length + payload.length + 4);
    out.writeBytes(PREFIX);
    out.write(SP);
    out.writeBytes(typeLen);
    out.write(SP);
    out.writeBytes(type);
    out.write(SP);
    out.writeBytes(payloadLen);
    out.write(SP);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] decimal(int length) {
    return Integer.toString(length).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String text) {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "payload type must be valid Unicode text; it holds an unpaired surrogate", e);
    }
  }
}
