package nl.schakel.trust.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostalAddressTest {

  @Test
  void normalisesPostcodeSpacesAndCaseOfEveryLetter() {
    PostalAddress address = PostalAddress.of("3511 ab", 12, "a", "bis");

    assertThat(address.postcode()).isEqualTo("3511AB");
    assertThat(address.houseNumber()).isEqualTo(12);
    assertThat(address.houseLetter()).isEqualTo("A");
    assertThat(address.addition()).isEqualTo("BIS");
    assertThat(address.canonical()).isEqualTo("3511AB 12A-BIS");
    assertThat(address.form()).isEqualTo(IdentifierForm.POSTAL_ADDRESS);
  }

  @Test
  void twoSpellingsOfOneAddressAreEqualAndShareTheCanonicalText() {
    PostalAddress typed = PostalAddress.of(" 3511 ab ", 12, "a", "2");
    PostalAddress fromCsv = PostalAddress.parse("3511AB 12A-2");

    assertThat(typed).isEqualTo(fromCsv);
    assertThat(typed.canonical()).isEqualTo(fromCsv.canonical()).isEqualTo("3511AB 12A-2");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "3511AB 12      | 3511AB | 12 | ''| ''  | 3511AB 12",
        "3511AB 12A     | 3511AB | 12 | A | ''  | 3511AB 12A",
        "3511AB 12-2    | 3511AB | 12 | ''| 2   | 3511AB 12-2",
        "3511AB 12A-2   | 3511AB | 12 | A | 2   | 3511AB 12A-2",
        "3511 AB 12A-2  | 3511AB | 12 | A | 2   | 3511AB 12A-2",
        "3511ab 12a-2b  | 3511AB | 12 | A | 2B  | 3511AB 12A-2B",
        "3511AB 12-A    | 3511AB | 12 | ''| A   | 3511AB 12-A",
        "9999ZZ 99999Z-ZZZZ | 9999ZZ | 99999 | Z | ZZZZ | 9999ZZ 99999Z-ZZZZ",
        "1000AA 1       | 1000AA | 1  | ''| ''  | 1000AA 1"
      })
  void parsesTheCompactCsvForm(
      String compact, String postcode, int number, String letter, String addition, String canonical) {
    PostalAddress address = PostalAddress.parse(compact.strip());

    assertThat(address).isEqualTo(PostalAddress.of(postcode, number, letter, addition));
    assertThat(address.canonical()).isEqualTo(canonical);
    assertThat(PostalAddress.parse(address.canonical())).isEqualTo(address);
  }

  @Test
  void letterAndAdditionStayDistinguishableInTheCanonicalText() {
    PostalAddress letterAndAddition = PostalAddress.of("3511AB", 12, "A", "2");
    PostalAddress additionOnly = PostalAddress.of("3511AB", 12, "", "A2");

    assertThat(letterAndAddition.canonical()).isNotEqualTo(additionOnly.canonical());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0511AB", // no postcode starts with 0
        "351AB",
        "35111AB",
        "3511A",
        "3511ABC",
        "AB3511",
        "3511-AB",
        "3511\tAB",
        "3511\u00A0AB", // non-breaking space is not stripped
        "3511ıb", // dotless i would upper-case to I
        "3511ſa", // long s would upper-case to S
        "３５１１AB",
        "3511ÅB",
        ""
      })
  void rejectsPostcodesOutsideTheDutchPattern(String postcode) {
    InvalidIdentifierException error =
        catchThrowableOfType(
            InvalidIdentifierException.class, () -> PostalAddress.of(postcode, 12, "", ""));

    assertThat(error).hasMessage("postcode must match ^[1-9][0-9]{3}[A-Z]{2}$");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 100_000, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void rejectsHouseNumbersOutsideOneTo99999(int number) {
    assertThatThrownBy(() -> PostalAddress.of("3511AB", number, "", ""))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("house number must be between 1 and 99999");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AB", "1", "-", " ", "é", "ı", "Ａ"})
  void rejectsHouseLettersOtherThanOneLetter(String letter) {
    assertThatThrownBy(() -> PostalAddress.of("3511AB", 12, letter, ""))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("house letter must be one letter A-Z, or empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345", "ABCDE", "-", "1 2", " ", "2-", "é", "١"})
  void rejectsAdditionsOtherThanOneToFourLettersOrDigits(String addition) {
    assertThatThrownBy(() -> PostalAddress.of("3511AB", 12, "", addition))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("house number addition must match ^[0-9A-Z]{1,4}$, or be empty");
  }

  @Test
  void rejectsMissingPartsInsteadOfTreatingThemAsEmpty() {
    assertThatThrownBy(() -> PostalAddress.of(null, 12, "", ""))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> PostalAddress.of("3511AB", 12, null, ""))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("use \"\" for an absent letter or addition");
    assertThatThrownBy(() -> PostalAddress.parse(null))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("postal address is missing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "3511AB",
        "3511AB12",
        "3511AB  12",
        " 3511AB 12",
        "3511AB 12 ",
        "3511AB 012",
        "3511AB 12 A",
        "3511AB 12AB",
        "3511AB 12A-",
        "3511AB 12--2",
        "3511AB 12A-2-3",
        "3511AB 9876543",
        "3511AB １２",
        "12 3511AB",
        "3511AB 12A/2"
      })
  void rejectsCompactFormsThatAreNotPostcodeSpaceNumber(String compact) {
    InvalidIdentifierException error =
        catchThrowableOfType(InvalidIdentifierException.class, () -> PostalAddress.parse(compact));

    assertThat(error.getMessage()).startsWith("postal address must look like");
    NoLeak.assertMessageHidesInput(error, compact);
  }

  @Test
  void compactFormsWithTheRightShapeReportWhichPartIsWrong() {
    assertThatThrownBy(() -> PostalAddress.parse("0511AB 12"))
        .hasMessage("postcode must match ^[1-9][0-9]{3}[A-Z]{2}$");
    assertThatThrownBy(() -> PostalAddress.parse("3511AB 0"))
        .hasMessage("house number must be between 1 and 99999");
    assertThatThrownBy(() -> PostalAddress.parse("3511AB 100000"))
        .hasMessage("house number must be between 1 and 99999");
    assertThatThrownBy(() -> PostalAddress.parse("3511AB 12-ABCDE"))
        .hasMessage("house number addition must match ^[0-9A-Z]{1,4}$, or be empty");
  }

  @Test
  void toStringRedactsTheAddress() {
    PostalAddress address = PostalAddress.parse("3511AB 12A-2");

    assertThat(address).hasToString("PostalAddress[redacted]");
    assertThat(String.valueOf(address)).doesNotContain("3511").doesNotContain("12");
  }
}
