package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import nl.schakel.trust.sign.KeyId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .sigs file beside a convenant: strict reading with line numbers, atomic rewriting. */
class CovenantSignaturesTest {
  private static final String FILE = "zvo-midden.v3.sigs";

  @TempDir Path dir;

  private final Covenant zvo = Fixtures.zvoCovenant();
  private final PartyKeyring keyring = new PartyKeyring(7);
  private final PartySignature politie = PartySignature.sign(zvo, "politie", keyring.key("politie"));
  private final PartySignature zvh = PartySignature.sign(zvo, "zvh", keyring.key("zvh"));

  private List<String> errors(String text) {
    CovenantSignaturesException e =
        catchThrowableOfType(CovenantSignaturesException.class, () -> CovenantSignatures.parse(text, FILE, zvo));
    assertThat(e).as("signature file is rejected").isNotNull();
    return e.errors().stream().map(ValidationError::toString).toList();
  }

  @Test
  void putsTheSignaturesBesideTheYamlFile() {
    assertThat(CovenantSignatures.sigsFileFor(Path.of("covenants/zvo-midden.v3.yaml")))
        .isEqualTo(Path.of("covenants/zvo-midden.v3.sigs"));
    assertThat(CovenantSignatures.sigsFileFor(Path.of("zvo.yml"))).isEqualTo(Path.of("zvo.sigs"));
    assertThat(CovenantSignatures.sigsFileFor(Path.of("zvo"))).isEqualTo(Path.of("zvo.sigs"));
  }

  @Test
  void writesOneLinePerPartyAsPartyKeyIdAndBase64Signature() {
    String text = CovenantSignatures.none(zvo).with(politie).text();

    assertThat(text).isEqualTo("politie " + keyring.key("politie").keyId() + " "
        + Base64.getEncoder().encodeToString(politie.signature()) + "\n");
    assertThat(text).matches("politie [0-9a-f]{16} [A-Za-z0-9+/]{86}==\n");
  }

  @Test
  void writesLinesInTheConvenantsPartyOrderWhateverTheSigningOrder() {
    // zvh comes before politie in the convenant's parties.
    String text = CovenantSignatures.none(zvo).with(politie).with(zvh).text();

    assertThat(text.lines().map(l -> l.split(" ")[0])).containsExactly("zvh", "politie");
  }

  @Test
  void readsBackWhatItWrote() throws Exception {
    CovenantSignatures written = CovenantSignatures.none(zvo).with(zvh).with(politie);

    CovenantSignatures read = CovenantSignatures.parse(written.text(), FILE, zvo);

    assertThat(read.all()).containsExactly(zvh, politie);
    assertThat(read.of("politie")).contains(politie);
    assertThat(read.of("riec")).isEmpty();
  }

  @Test
  void replacesAPartysLineWhenItSignsAgain() {
    PartySignature again = PartySignature.sign(zvo, "politie", new PartyKeyring(8).key("politie"));

    CovenantSignatures signatures = CovenantSignatures.none(zvo).with(politie).with(zvh).with(again);

    assertThat(signatures.all()).containsExactly(zvh, again);
  }

  @Test
  void acceptsLinesInAnyOrderAndWindowsLineEnds() throws Exception {
    String text = politie.line() + "\r\n" + zvh.line();

    assertThat(CovenantSignatures.parse(text, FILE, zvo).all()).containsExactly(zvh, politie);
  }

  @Test
  void readsAMissingFileAsNoSignatures() throws Exception {
    CovenantSignatures read = CovenantSignatures.read(dir.resolve("absent.sigs"), zvo);

    assertThat(read.all()).isEmpty();
  }

  @Test
  void replacesTheFileAtomicallyLeavingNoTemporaryFiles() throws Exception {
    Path file = dir.resolve(FILE);
    Files.writeString(file, "old content that is not even valid\n");

    CovenantSignatures.none(zvo).with(politie).writeTo(file);

    assertThat(CovenantSignatures.read(file, zvo).all()).containsExactly(politie);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void refusesAPartyThatIsNotInTheConvenantWithItsLineNumber() {
    String line = politie.line().replaceFirst("politie", "politie-midden");

    assertThat(errors(zvh.line() + "\n" + line + "\n"))
        .containsExactly(FILE + ":2:1 party 'politie-midden' is not a party of convenant zvo-midden v3"
            + " (did you mean 'politie'?)");
  }

  @Test
  void refusesASecondLineForTheSameParty() {
    PartySignature again = PartySignature.sign(zvo, "politie", new PartyKeyring(8).key("politie"));

    assertThat(errors(politie.line() + "\n" + zvh.line() + "\n" + again.line() + "\n"))
        .containsExactly(FILE + ":3:1 party 'politie' already signed on line 1; one line per party");
  }

  @Test
  void refusesAKeyIdThatIsNotSixteenLowerCaseHexCharacters() {
    String line = politie.line().replace(politie.keyId().value(), politie.keyId().value().toUpperCase());

    assertThat(errors(line))
        .containsExactly(FILE + ":1:9 a key id is 16 lower-case hex characters (0-9, a-f), found 16"
            + " characters that are not all lower-case hex");
  }

  @Test
  void refusesASignatureThatIsNotBase64() {
    String line = "politie " + politie.keyId() + " not*base64";

    assertThat(errors(line))
        .containsExactly(FILE + ":1:26 the signature is not standard base64 (A-Z a-z 0-9 + / and '=' padding)");
  }

  @Test
  void refusesBase64WithoutPadding() {
    String line = politie.line().substring(0, politie.line().length() - 2);

    assertThat(errors(line)).singleElement().asString()
        .startsWith(FILE + ":1:26 the signature is not canonical base64");
  }

  @Test
  void refusesASignatureOfTheWrongLength() {
    String line = "politie " + politie.keyId() + " " + Base64.getEncoder().encodeToString(new byte[63]);

    assertThat(errors(line)).containsExactly(FILE + ":1:26 an Ed25519 signature is 64 bytes, found 63 bytes");
  }

  @Test
  void refusesLinesWithTooFewOrTooManyFields() {
    assertThat(errors("politie " + politie.keyId() + "\n" + politie.line() + " extra\n"))
        .containsExactly(
            FILE + ":1:1 found 2 fields; expected '<party-id> <key-id> <base64 signature>'",
            FILE + ":2:1 found 4 fields; expected '<party-id> <key-id> <base64 signature>'");
  }

  @Test
  void refusesEmptyLinesExtraSpacesTabsAndComments() {
    assertThat(errors(zvh.line() + "\n\n" + politie.line().replace(" ", "  ") + "\n"
            + "# signed by J. Jansen\n" + "riec\t" + politie.keyId()))
        .containsExactly(
            FILE + ":2:1 empty line; expected '<party-id> <key-id> <base64 signature>'",
            FILE + ":3:8 extra space; fields are separated by exactly one space, expected '<party-id> <key-id> <base64 signature>'",
            FILE + ":4:1 found 5 fields; expected '<party-id> <key-id> <base64 signature>'",
            FILE + ":5:5 control character U+0009; expected '<party-id> <key-id> <base64 signature>'");
  }

  @Test
  void refusesNonAsciiBytesWithTheirPlace() throws Exception {
    Path file = dir.resolve(FILE);
    Files.write(file, (zvh.line() + "\npolitié x y\n").getBytes(StandardCharsets.UTF_8));

    CovenantSignaturesException e =
        catchThrowableOfType(CovenantSignaturesException.class, () -> CovenantSignatures.read(file, zvo));

    assertThat(e.errors()).extracting(ValidationError::toString)
        .containsExactly(FILE + ":2:7 only ASCII belongs in a signature file, found byte 0xc3");
  }

  @Test
  void reportsEveryBadLineAtOnce() {
    CovenantSignaturesException e =
        catchThrowableOfType(CovenantSignaturesException.class,
            () -> CovenantSignatures.parse("x\ny\nz\n", FILE, zvo));

    assertThat(e.errors()).extracting(ValidationError::line).containsExactly(1, 2, 3);
    assertThat(e.getMessage()).startsWith("invalid signature file: 3 errors\n  " + FILE + ":1:1 ");
  }

  @Test
  void refusesToAddASignatureOfAPartyOutsideTheConvenant() {
    PartySignature foreign = new PartySignature("gemeente-amsterdam", KeyId.parse("0011223344556677"), new byte[64]);

    assertThatThrownBy(() -> CovenantSignatures.none(zvo).with(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'gemeente-amsterdam' is not a party of convenant zvo-midden v3");
  }

  @Test
  void refusesToSignForAPartyOutsideTheConvenant() {
    assertThatThrownBy(() -> PartySignature.sign(zvo, "polite", keyring.key("politie")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'polite' is not a party of convenant zvo-midden v3 (did you mean 'politie'?)");
  }
}
