package nl.schakel.trust.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymKeyTest {

  @TempDir Path dir;

  private static SecureRandom seeded(long seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    return random;
  }

  @Test
  void aKeyReadBackFromItsFileGivesTheSamePseudonyms() throws Exception {
    PseudonymKey key = PseudonymKey.generate(seeded(1));
    Path file = dir.resolve("matching.key");

    key.writeTo(file);
    PseudonymKey read = PseudonymKey.readFrom(file);

    Bsn bsn = Bsn.parse("999990019");
    assertThat(HmacPseudonymiser.create(read, "matching").pseudonymise(bsn))
        .isEqualTo(HmacPseudonymiser.create(key, "matching").pseudonymise(bsn));
  }

  @Test
  void writesBase64OfThirtyTwoBytesAndANewline() throws Exception {
    PseudonymKey key = PseudonymKey.generate(seeded(1));
    Path file = dir.resolve("matching.key");

    key.writeTo(file);

    String text = Files.readString(file, StandardCharsets.US_ASCII);
    assertThat(text).endsWith("\n").hasSize(44 + 1);
    assertThat(Base64.getDecoder().decode(text.strip())).isEqualTo(key.material());
  }

  @Test
  void writesTheFileReadableByItsOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("matching.key");

    PseudonymKey.generate(seeded(1)).writeTo(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToOverwriteAnExistingKeyFile() throws Exception {
    Path file = dir.resolve("matching.key");
    PseudonymKey first = PseudonymKey.generate(seeded(1));
    first.writeTo(file);

    assertThatThrownBy(() -> PseudonymKey.generate(seeded(2)).writeTo(file))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(PseudonymKey.readFrom(file).material()).isEqualTo(first.material());
  }

  @Test
  void readsFilesWithWindowsLineEndingsOrNoNewline() throws Exception {
    byte[] material = PseudonymKey.generate(seeded(3)).material();
    String base64 = Base64.getEncoder().encodeToString(material);
    Path crlf = Files.writeString(dir.resolve("crlf.key"), base64 + "\r\n");
    Path bare = Files.writeString(dir.resolve("bare.key"), base64);

    assertThat(PseudonymKey.readFrom(crlf).material()).isEqualTo(material);
    assertThat(PseudonymKey.readFrom(bare).material()).isEqualTo(material);
  }

  @Test
  void rejectsAFileWithTheWrongKeyLengthNamingTheFile() throws Exception {
    Path file =
        Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[31]) + "\n");

    assertThatThrownBy(() -> PseudonymKey.readFrom(file))
        .hasMessage(
            "pseudonym key file " + file + " must hold the base64 of 32 bytes, found 31 bytes");
  }

  @Test
  void rejectsAFileThatIsNotBase64WithoutEchoingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("hex.key"), "not base64 at all!\n");

    assertThatThrownBy(() -> PseudonymKey.readFrom(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not valid base64")
        .hasMessageNotContaining("at all!");
  }

  @Test
  void rejectsAnEmptyFile() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.key"), "");

    assertThatThrownBy(() -> PseudonymKey.readFrom(file)).hasMessageContaining("found 0 bytes");
  }

  @Test
  void rejectsMaterialOfTheWrongLength() {
    assertThatThrownBy(() -> PseudonymKey.of(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pseudonym key must be 32 bytes, found 16 bytes");
  }

  @Test
  void generatesDifferentKeysFromDifferentRandomness() throws Exception {
    assertThat(PseudonymKey.generate(seeded(1)).material())
        .isNotEqualTo(PseudonymKey.generate(seeded(2)).material());
  }

  @Test
  void neverPrintsKeyMaterial() throws Exception {
    PseudonymKey key = PseudonymKey.generate(seeded(1));
    byte[] material = key.material();

    assertThat(key.toString())
        .isEqualTo("PseudonymKey[redacted]")
        .doesNotContain(Base64.getEncoder().encodeToString(material))
        .doesNotContain(HexFormat.of().formatHex(material));
  }
}
