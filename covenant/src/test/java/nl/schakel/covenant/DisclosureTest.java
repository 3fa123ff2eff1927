package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DisclosureTest {
  private final Disclosure.Bands bands = new Disclosure.Bands(List.of(0, 1, 3, 6));

  @Test
  void bandsReportRangesWithAnOpenTopBand() {
    assertThat(bands.bandFor(0)).isEqualTo(new Disclosure.Band(0, Optional.of(0L), "0"));
    assertThat(bands.bandFor(1)).isEqualTo(new Disclosure.Band(1, Optional.of(2L), "1-2"));
    assertThat(bands.bandFor(2).display()).isEqualTo("1-2");
    assertThat(bands.bandFor(3)).isEqualTo(new Disclosure.Band(3, Optional.of(5L), "3-5"));
    assertThat(bands.bandFor(5).display()).isEqualTo("3-5");
    assertThat(bands.bandFor(6)).isEqualTo(new Disclosure.Band(6, Optional.empty(), "6+"));
    assertThat(bands.bandFor(1_000_000).display()).isEqualTo("6+");
  }

  @Test
  void bandsRefuseNegativeCountsAndMalformedBounds() {
    assertThatThrownBy(() -> bands.bandFor(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Disclosure.Bands(List.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Disclosure.Bands(List.of(0, 2, 2))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void minRoundSuppressesSmallCountsAndOptionallyZero() {
    Disclosure.MinRound shown = new Disclosure.MinRound(5, 5, false);
    assertThat(shown.suppresses(0)).isFalse();
    assertThat(shown.suppresses(1)).isTrue();
    assertThat(shown.suppresses(4)).isTrue();
    assertThat(shown.suppresses(5)).isFalse();
    Disclosure.MinRound suppressed = new Disclosure.MinRound(5, 5, true);
    assertThat(suppressed.suppresses(0)).isTrue();
    assertThat(suppressed.suppressedDisplay()).isEqualTo("<5");
  }
}
