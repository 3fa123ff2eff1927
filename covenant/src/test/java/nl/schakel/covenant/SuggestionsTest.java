package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> PARTIES =
      List.of("gemeente-oov", "zvh", "riec", "politie", "veilig-thuis", "woningcorporatie");

  @Test
  void suggestsTyposTruncationsAndSwappedLetters() {
    assertThat(Suggestions.closest("woningcorp", PARTIES)).contains("woningcorporatie");
    assertThat(Suggestions.closest("poltiie", PARTIES)).contains("politie");
    assertThat(Suggestions.closest("Politie", PARTIES)).contains("politie");
    assertThat(Suggestions.closest("veilig-thuus", PARTIES)).contains("veilig-thuis");
  }

  @Test
  void staysQuietWhenNothingIsClose() {
    assertThat(Suggestions.closest("belastingdienst", PARTIES)).isEmpty();
    assertThat(Suggestions.closest("om", PARTIES)).isEmpty();
    assertThat(Suggestions.didYouMean("x".repeat(10_000), PARTIES)).isEmpty();
  }
}
