package nl.schakel.trust.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BagIdTest {

  @ParameterizedTest
  @CsvSource({
    "0344010000123456, VERBLIJFSOBJECT",
    "0344020000123456, LIGPLAATS",
    "0344030000123456, STANDPLAATS",
    "0344100000123456, PAND",
    "0344200000123456, NUMMERAANDUIDING",
    "0344300000123456, OPENBARE_RUIMTE"
  })
  void readsTheObjectTypeFromDigitsFiveAndSix(String text, BagId.ObjectType type) {
    BagId id = BagId.parse(text);

    assertThat(id.objectType()).isEqualTo(type);
    assertThat(id.objectType().code()).isEqualTo(text.substring(4, 6));
    assertThat(id.municipalityCode()).isEqualTo("0344");
    assertThat(id.canonical()).isEqualTo(text);
    assertThat(id.form()).isEqualTo(IdentifierForm.BAG_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0344000000123456", "0344040000123456", "0344110000123456", "0344990000123456"})
  void rejectsUnknownObjectTypes(String text) {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> BagId.parse(text));

    assertThat(error)
        .hasMessage("BAG id object type (digits 5-6) must be one of 01, 02, 03, 10, 20, 30");
    NoLeak.assertMessageHidesInput(error, text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "034401000012345",
        "03440100001234567",
        "034401000012345a",
        "0344 010000123456",
        "0344-01-0000123456",
        "٠٣٤٤٠١٠٠٠٠١٢٣٤٥٦"
      })
  void rejectsAnythingButSixteenAsciiDigits(String text) {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> BagId.parse(text));

    assertThat(error.getMessage()).startsWith("BAG id must be exactly 16 ASCII digits, found ");
    NoLeak.assertMessageHidesInput(error, text);
  }

  @Test
  void rejectsAMissingValueAsInvalidInput() {
    assertThatThrownBy(() -> BagId.parse(null)).isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void toStringRedactsTheId() {
    assertThat(BagId.parse("0344010000123456")).hasToString("BagId[redacted]");
  }
}
