package nl.schakel.trust.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BsnTest {

  @ParameterizedTest
  @ValueSource(strings = {"999990019", "999990032", "999990044", "111222333"})
  void acceptsTheTestBsnsFromTheDomainContext(String text) {
    Bsn bsn = Bsn.parse(text);

    assertThat(bsn.canonical()).isEqualTo(text);
    assertThat(bsn.form()).isEqualTo(IdentifierForm.BSN);
  }

  static List<String> everySingleDigitChangeOfTheTestBsns() {
    List<String> changed = new ArrayList<>();
    for (String valid : List.of("999990019", "999990032", "999990044", "111222333")) {
      for (int position = 0; position < 9; position++) {
        for (char digit = '0'; digit <= '9'; digit++) {
          if (digit != valid.charAt(position)) {
            char[] chars = valid.toCharArray();
            chars[position] = digit;
            changed.add(new String(chars));
          }
        }
      }
    }
    return changed;
  }

  @ParameterizedTest
  @MethodSource("everySingleDigitChangeOfTheTestBsns")
  void rejectsEverySingleDigitTypo(String typo) {
    assertThatThrownBy(() -> Bsn.parse(typo))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("BSN fails the elfproef (11-test)");
  }

  static List<String> everyAdjacentSwapOfTheTestBsns() {
    List<String> swapped = new ArrayList<>();
    for (String valid : List.of("999990019", "999990032", "999990044", "111222333")) {
      for (int i = 0; i < 8; i++) {
        if (valid.charAt(i) != valid.charAt(i + 1)) {
          char[] chars = valid.toCharArray();
          chars[i] = valid.charAt(i + 1);
          chars[i + 1] = valid.charAt(i);
          swapped.add(new String(chars));
        }
      }
    }
    return swapped;
  }

  @ParameterizedTest
  @MethodSource("everyAdjacentSwapOfTheTestBsns")
  void rejectsSwappedAdjacentDigits(String swapped) {
    assertThatThrownBy(() -> Bsn.parse(swapped)).isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void rejectsAllZerosAlthoughItsSumIsDivisibleByEleven() {
    assertThatThrownBy(() -> Bsn.parse("000000000"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("BSN fails the elfproef (11-test)");
  }

  @Test
  void padsEightDigitLegacyNumbersWithALeadingZero() {
    Bsn legacy = Bsn.parse("12345672");

    assertThat(legacy.canonical()).isEqualTo("012345672");
    assertThat(legacy).isEqualTo(Bsn.parse("012345672"));
  }

  @Test
  void rejectsEightDigitNumbersThatFailTheElfproefAfterPadding() {
    assertThatThrownBy(() -> Bsn.parse("12345673"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("BSN fails the elfproef (11-test)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "         ",
        "1",
        "1234567",
        "9999900190",
        "0999990019",
        " 999990019",
        "999990019 ",
        "999 990 019",
        "999.99.0019",
        "9999900l9",
        "99999001O",
        "+99999001",
        "-99999001",
        "١١١٢٢٢٣٣٣", // Arabic-Indic digits for 111222333
        "１１１２２２３３３", // full-width digits
        "11122233३", // a Devanagari digit at the end
        "99999\u00000019",
        "999990019\n"
      })
  void rejectsAnythingButNineOrEightAsciiDigits(String text) {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> Bsn.parse(text));

    assertThat(error).isNotNull();
    assertThat(error.getMessage()).startsWith("BSN must be exactly 9 ASCII digits, found ");
    NoLeak.assertMessageHidesInput(error, text);
  }

  @Test
  void describesTheShapeOfWhatWasFound() {
    assertThatThrownBy(() -> Bsn.parse("")).hasMessageEndingWith("found an empty string");
    assertThatThrownBy(() -> Bsn.parse("   ")).hasMessageEndingWith("found only whitespace");
    assertThatThrownBy(() -> Bsn.parse("9999900190")).hasMessageEndingWith("found 10 digits");
    assertThatThrownBy(() -> Bsn.parse("１１１２２２３３３"))
        .hasMessageEndingWith("found 9 characters, not all of them ASCII digits");
  }

  @Test
  void elfproefFailureDoesNotEchoTheNumber() {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> Bsn.parse("999990018"));

    NoLeak.assertMessageHidesInput(error, "999990018");
  }

  @Test
  void rejectsAMissingValueAsInvalidInput() {
    assertThatThrownBy(() -> Bsn.parse(null))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("BSN is missing");
  }

  @Test
  void constructorValidatesLikeParseButDoesNotPad() {
    assertThatThrownBy(() -> new Bsn("999990018")).isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> new Bsn("12345672")).isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void toStringRedactsTheNumber() {
    Bsn bsn = Bsn.parse("999990019");

    assertThat(bsn.toString()).isEqualTo("Bsn[redacted]");
    assertThat("asked about " + bsn).doesNotContain("999990019");
  }

  @Test
  void isAValueComparedByDigits() {
    assertThat(Bsn.parse("999990019")).isEqualTo(Bsn.parse("999990019"));
    assertThat(Bsn.parse("999990019")).hasSameHashCodeAs(Bsn.parse("999990019"));
    assertThat(Bsn.parse("999990019")).isNotEqualTo(Bsn.parse("999990032"));
  }
}
