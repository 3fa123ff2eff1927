package nl.schakel.trust.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class IdentifierTest {

  @ParameterizedTest
  @CsvSource({
    "BSN,            999990019,        Bsn",
    "KVK,            12345678,         KvkNumber",
    "BAG_ID,         0344010000123456, BagId",
    "POSTAL_ADDRESS, 3511AB 12A-2,     PostalAddress"
  })
  void parsesEachFormIntoItsOwnType(IdentifierForm form, String text, String type) {
    Identifier id = Identifier.parse(form, text);

    assertThat(id.getClass().getSimpleName()).isEqualTo(type);
    assertThat(id.form()).isEqualTo(form);
    assertThat(id.canonical()).isEqualTo(text);
  }

  @Test
  void sameDigitsAreNotValidUnderEveryForm() {
    assertThatThrownBy(() -> Identifier.parse(IdentifierForm.BSN, "12345678"))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThat(Identifier.parse(IdentifierForm.KVK, "12345678").form())
        .isEqualTo(IdentifierForm.KVK);
  }

  @ParameterizedTest
  @EnumSource(IdentifierForm.class)
  void everyFormRoundTripsThroughItsDomainLabel(IdentifierForm form) {
    assertThat(IdentifierForm.fromDomain(form.domain())).contains(form);
  }

  @Test
  void domainLabelsAreTheDocumentedOnes() {
    assertThat(List.of(IdentifierForm.values()))
        .extracting(IdentifierForm::domain)
        .containsExactly("bsn", "bag-id", "postal-address", "kvk");
    assertThat(IdentifierForm.fromDomain("BSN")).isEmpty();
    assertThat(IdentifierForm.fromDomain("")).isEmpty();
  }

  @Test
  void noIdentifierRevealsItsValueWhenPrintedOrLogged() {
    List<Identifier> ids =
        List.of(
            Bsn.parse("999990019"),
            KvkNumber.parse("12345678"),
            BagId.parse("0344010000123456"),
            PostalAddress.parse("3511AB 12A-2"));

    for (Identifier id : ids) {
      String printed = String.format("subject=%s list=%s", id, List.of(id));
      assertThat(printed).doesNotContain(id.canonical()).contains("[redacted]");
      NoLeak.assertMessageHidesInput(new RuntimeException(printed), id.canonical());
    }
  }
}
