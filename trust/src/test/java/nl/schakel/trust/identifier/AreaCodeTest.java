package nl.schakel.trust.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import nl.schakel.trust.identifier.AreaCode.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AreaCodeTest {

  @ParameterizedTest
  @CsvSource({
    "GM0344,     GEMEENTE, 0344",
    "WK034401,   WIJK,     0344",
    "WK0363AB,   WIJK,     0363",
    "BU03440101, BUURT,    0344",
    "BU0363AB12, BUURT,    0363",
    "bu03440101, BUURT,    0344"
  })
  void derivesTheLevelFromThePrefix(String text, Level level, String municipality) {
    AreaCode area = AreaCode.parse(text);

    assertThat(area.level()).isEqualTo(level);
    assertThat(area.code()).isEqualTo(text.toUpperCase());
    assertThat(area.municipalityCode()).isEqualTo(municipality);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GM344",
        "GM03441",
        "GM03A4",
        "WK03440",
        "WK0344010",
        "WK03A401",
        "BU0344010",
        "BU034401011",
        "BU0344010é",
        "BU0344 0101",
        "GM０３４４"
      })
  void rejectsCodesThatDoNotMatchTheirLevelsPattern(String text) {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> AreaCode.parse(text));

    assertThat(error.getMessage()).startsWith("area code at level ").contains(" must match ^");
    NoLeak.assertMessageHidesInput(error, text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "XX0344", "0344", "999990019", "G M0344"})
  void rejectsCodesWithoutAKnownPrefix(String text) {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> AreaCode.parse(text));

    assertThat(error).hasMessage("area code must start with GM (gemeente), WK (wijk) or BU (buurt)");
  }

  @Test
  void rejectsALevelThatDisagreesWithTheCode() {
    assertThatThrownBy(() -> new AreaCode(Level.WIJK, "BU03440101"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("area code at level WIJK must match ^WK[0-9]{4}[0-9A-Z]{2}$");
  }

  @Test
  void rejectsAMissingCode() {
    assertThatThrownBy(() -> AreaCode.parse(null))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("area code is missing");
  }

  @Test
  void printsItsCodeBecauseAnAreaIsNotPersonalData() {
    assertThat(AreaCode.parse("BU03440101").toString()).contains("BU03440101");
  }
}
