package nl.schakel.trust.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PseudonymTest {

  private static final String HEX =
      "631124878f3702283305379865d623cc3d0fd1c12826a775809f432ea6de1d83";

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 31, 33, 64})
  void rejectsAnythingButThirtyTwoBytes(int length) {
    assertThatThrownBy(() -> Pseudonym.of(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pseudonym must be 32 bytes, found " + length + " bytes");
  }

  @Test
  void rejectsMissingBytes() {
    assertThatThrownBy(() -> Pseudonym.of(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cannotBeChangedThroughTheArraysItWasGivenOrGaveOut() {
    byte[] input = HexFormat.of().parseHex(HEX);
    Pseudonym pseudonym = Pseudonym.of(input);

    input[0] ^= 1;
    pseudonym.bytes()[1] ^= 1;

    assertThat(pseudonym.toHex()).isEqualTo(HEX);
  }

  @Test
  void equalsAndHashesByContent() {
    Pseudonym a = Pseudonym.of(HexFormat.of().parseHex(HEX));
    Pseudonym b = Pseudonym.fromHex(HEX.toUpperCase());
    byte[] other = HexFormat.of().parseHex(HEX);
    other[31] ^= 1;

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Pseudonym.of(other));
  }

  @Test
  void roundTripsThroughHex() {
    assertThat(Pseudonym.fromHex(HEX).toHex()).isEqualTo(HEX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", HEX + "00"})
  void rejectsHexOfTheWrongLength(String hex) {
    assertThatThrownBy(() -> Pseudonym.fromHex(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pseudonym hex must be 64 characters, found ");
  }

  @Test
  void rejectsNonHexCharacters() {
    assertThatThrownBy(() -> Pseudonym.fromHex("zz" + HEX.substring(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pseudonym hex must hold only 0-9, a-f, A-F");
  }

  @Test
  void printsOnlyAShortPrefixToKeepLogLinesShort() {
    assertThat(Pseudonym.fromHex(HEX)).hasToString("psn:63112487");
  }
}
