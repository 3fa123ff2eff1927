package nl.schakel.audit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.SigningKey;

/**
 * C2SP signed notes (c2sp.org/signed-note), Ed25519 only: a text of complete lines, an empty
 * line, then one line per signature {@code — <key name> <base64(4-byte key hash || 64-byte
 * signature)>}, starting with an EM DASH (U+2014) and a space. The signature is over the text's
 * UTF-8 bytes, final newline included.
 */
public final class SignedNote {

  /** The start of every signature line: EM DASH, space. */
  static final String SIGNATURE_PREFIX = "\u2014 ";

  /** The most signature lines a note may carry, as in the reference implementation. */
  static final int MAX_SIGNATURES = 100;

  /** The longest note accepted, in chars; a checkpoint is a few hundred. Bounds hostile input. */
  static final int MAX_NOTE_CHARS = 1 << 16;

  private SignedNote() {}

  /** One parsed signature line. */
  record Signature(String name, int keyHash, byte[] signature) {}

  /** A parsed, not yet verified note. */
  record Parsed(String text, List<Signature> signatures) {}

  /**
   * Signs {@code text} with {@code key} under {@code name}. Requires a text of complete lines
   * (non-empty, ending in a newline) without control characters but newlines.
   */
  public static String sign(String text, String name, SigningKey key) {
    Objects.requireNonNull(text, "text");
    NoteKey noteKey = NoteKey.of(name, key.verifyingKey());
    if (text.isEmpty() || !text.endsWith("\n") || hasControl(text.replace("\n", ""))) {
      throw new IllegalArgumentException(
          "a note text is non-empty lines ending in a newline, without control characters");
    }
    byte[] signature = key.sign(text.getBytes(StandardCharsets.UTF_8));
    ByteBuffer blob = ByteBuffer.allocate(4 + signature.length);
    blob.putInt(noteKey.keyHash()).put(signature);
    return text
        + "\n"
        + SIGNATURE_PREFIX
        + name
        + " "
        + Base64.getEncoder().encodeToString(blob.array())
        + "\n";
  }

  /**
   * Opens {@code note} with {@code key}: returns its text when one of its signatures is by that
   * key (same name and key hash) and verifies. Signatures by other keys are ignored, as the spec
   * asks (they may be witnesses' cosignatures); a signature that claims the key but fails to
   * verify rejects the note. Fails with {@link CheckpointException}.
   */
  public static String open(String note, NoteKey key) {
    Parsed parsed = parse(note);
    byte[] message = parsed.text().getBytes(StandardCharsets.UTF_8);
    boolean verified = false;
    for (Signature s : parsed.signatures()) {
      if (!s.name().equals(key.name()) || s.keyHash() != key.keyHash()) {
        continue;
      }
      try {
        key.verifyingKey().verify(message, s.signature());
      } catch (InvalidSignatureException e) {
        throw new CheckpointException(
            "signature by " + key.name() + " does not verify over the note text");
      }
      verified = true;
    }
    if (!verified) {
      throw new CheckpointException(
          "note carries no signature by key " + key.name() + "+" + String.format("%08x", key.keyHash())
              + " (unknown key)");
    }
    return parsed.text();
  }

  /** Splits a note into text and signature lines, checking the syntax only. */
  static Parsed parse(String note) {
    Objects.requireNonNull(note, "note");
    if (note.length() > MAX_NOTE_CHARS) {
      throw new CheckpointException(
          "note has " + note.length() + " characters, expected at most " + MAX_NOTE_CHARS);
    }
    // A String holds no invalid UTF-8, but a lone surrogate would not round-trip; refuse it.
    try {
      StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(java.nio.CharBuffer.wrap(note));
    } catch (CharacterCodingException e) {
      throw new CheckpointException("note is not valid UTF-8");
    }
    if (hasControl(note.replace("\n", ""))) {
      throw new CheckpointException("note holds a control character other than newline");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new CheckpointException("note has no empty line between text and signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    if (!block.endsWith("\n")) {
      throw new CheckpointException("note signatures must end with a newline");
    }
    String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new CheckpointException(
          "note has " + lines.length + " signature lines, expected at most " + MAX_SIGNATURES);
    }
    List<Signature> signatures = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      signatures.add(parseSignature(lines[i], i));
    }
    return new Parsed(text, List.copyOf(signatures));
  }

  private static Signature parseSignature(String line, int i) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new CheckpointException(
          "note signature line " + (i + 1) + " does not start with an em dash and a space");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space <= 0 || rest.indexOf(' ', space + 1) >= 0) {
      throw new CheckpointException(
          "note signature line " + (i + 1) + " is not '\u2014 <name> <base64>'");
    }
    String name = rest.substring(0, space);
    try {
      NoteKey.requireName(name);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("note signature line " + (i + 1) + ": " + e.getMessage());
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(rest.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(
          "note signature line " + (i + 1) + " is not valid base64: " + e.getMessage());
    }
    if (blob.length < 5) {
      throw new CheckpointException(
          "note signature line " + (i + 1) + " holds " + blob.length + " bytes, expected at least 5");
    }
    ByteBuffer buffer = ByteBuffer.wrap(blob);
    int keyHash = buffer.getInt();
    byte[] signature = new byte[buffer.remaining()];
    buffer.get(signature);
    return new Signature(name, keyHash, signature);
  }

  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
