package nl.schakel.trust.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KvkNumberTest {

  @ParameterizedTest
  @ValueSource(strings = {"12345678", "00000001", "69599084"})
  void acceptsAnyEightAsciiDigitsBecauseKvkNumbersHaveNoCheckDigit(String text) {
    KvkNumber kvk = KvkNumber.parse(text);

    assertThat(kvk.canonical()).isEqualTo(text);
    assertThat(kvk.form()).isEqualTo(IdentifierForm.KVK);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "        ",
        "1234567",
        "123456789", // an RSIN has 9 digits
        "123456789012", // a vestigingsnummer has 12 digits
        "1234567a",
        " 12345678",
        "12345678 ",
        "1234 5678",
        "-1234567",
        "１２３４５６７８",
        "١٢٣٤٥٦٧٨"
      })
  void rejectsAnythingButExactlyEightAsciiDigits(String text) {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> KvkNumber.parse(text));

    assertThat(error).isNotNull();
    assertThat(error.getMessage()).startsWith("KvK number must be exactly 8 ASCII digits, found ");
    NoLeak.assertMessageHidesInput(error, text);
  }

  @Test
  void rejectsAMissingValueAsInvalidInput() {
    assertThatThrownBy(() -> KvkNumber.parse(null))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("KvK number is missing");
  }

  @Test
  void toStringRedactsTheNumber() {
    assertThat(KvkNumber.parse("12345678")).hasToString("KvkNumber[redacted]");
  }
}
