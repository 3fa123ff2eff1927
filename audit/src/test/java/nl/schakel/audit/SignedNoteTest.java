package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed notes, checked against the known-answer vector of Go's golang.org/x/mod/sumdb/note. */
class SignedNoteTest {

  private static final String TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";

  @TempDir Path dir;

  @Test
  void signsExactlyAsTheGoReferenceImplementation() {
    SigningKey key = TestKeys.fromSeed(goSeed(), dir);

    assertThat(NoteKey.of("PeterNeumann", key.verifyingKey()).verifierKey())
        .isEqualTo(keys().getProperty("verifier"));
    assertThat(SignedNote.sign(TEXT, "PeterNeumann", key)).isEqualTo(goNote());
  }

  @Test
  void opensTheGoReferenceNoteWithItsVerifierKey() {
    NoteKey key = NoteKey.parse(keys().getProperty("verifier"));

    assertThat(key.name()).isEqualTo("PeterNeumann");
    assertThat(key.keyHash()).isEqualTo(0xc74f20a3);
    assertThat(SignedNote.open(goNote(), key)).isEqualTo(TEXT);
  }

  @Test
  void rejectsATamperedText() {
    NoteKey key = NoteKey.parse(keys().getProperty("verifier"));

    assertThatThrownBy(() -> SignedNote.open(goNote().replace("cryptography", "cryptographY"), key))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void rejectsANoteWithoutASignatureByTheTrustedKey() {
    NoteKey other = NoteKey.of("PeterNeumann", TestKeys.seeded(7, dir).verifyingKey());

    assertThatThrownBy(() -> SignedNote.open(goNote(), other))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("unknown key");
  }

  @Test
  void ignoresSignaturesOfOtherKeysNextToTheTrustedOne() {
    SigningKey witness = TestKeys.seeded(8, dir);
    String cosigned = SignedNote.sign(TEXT, "witness", witness);
    String both = goNote() + cosigned.substring(cosigned.indexOf('\u2014'));

    assertThat(SignedNote.open(both, NoteKey.parse(keys().getProperty("verifier")))).isEqualTo(TEXT);
  }

  @Test
  void rejectsMalformedNotes() {
    NoteKey key = NoteKey.parse(keys().getProperty("verifier"));
    String note = goNote();

    for (String bad :
        new String[] {
          note.replace("\n\n", "\n"), // no separating empty line
          note.substring(0, note.length() - 1), // no final newline
          note.replace("\u2014 ", "- "), // hyphen instead of em dash
          note.replace("PeterNeumann x08", "PeterNeumann  x08"), // two spaces
          note.replace("x08go", "x08g!"), // not base64
          note.replace("problem,", "problem,\u0007"), // control character
          "x".repeat(SignedNote.MAX_NOTE_CHARS) + note, // too long to be a checkpoint
        }) {
      assertThatThrownBy(() -> SignedNote.open(bad, key)).isInstanceOf(CheckpointException.class);
    }
  }

  @Test
  void rejectsVerifierKeysWhoseHashDoesNotMatch() {
    String good = keys().getProperty("verifier");

    assertThatThrownBy(() -> NoteKey.parse(good.replace("c74f20a3", "c74f20a4")))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("expected c74f20a3");
    assertThatThrownBy(() -> NoteKey.parse(good.replace("PeterNeumann", "Peter")))
        .isInstanceOf(CheckpointException.class);
    assertThatThrownBy(() -> NoteKey.parse("PeterNeumann+c74f20a3"))
        .isInstanceOf(CheckpointException.class);
  }

  static Properties keys() {
    Properties p = new Properties();
    try (InputStream in = resource("go-note-peterneumann.keys")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  static String goNote() {
    try (InputStream in = resource("go-note-peterneumann.note")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // "PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>"; the base64 itself may hold '+'.
  static byte[] goSeed() {
    String[] parts = keys().getProperty("signer").split("\\+", 5);
    byte[] raw = Base64.getDecoder().decode(parts[4]);
    assertThat(raw[0]).isEqualTo((byte) 1);
    return Arrays.copyOfRange(raw, 1, raw.length);
  }

  private static InputStream resource(String name) {
    InputStream in = SignedNoteTest.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("test resource " + name + " is missing");
    }
    return in;
  }
}
