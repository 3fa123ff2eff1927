package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitTest {
  @Test
  void describesItselfInTheConvenantsOwnTerms() {
    assertThat(new Limit(Optional.of("huisverbod"), Limit.Per.ANALYST, 20, Duration.ofDays(1)).describe())
        .isEqualTo("20 per analyst per P1D for purpose huisverbod");
    assertThat(new Limit(Optional.empty(), Limit.Per.PARTY, 2000, Duration.ofDays(7)).describe())
        .isEqualTo("2000 per party per P7D for purpose any");
  }

  @Test
  void writesItsWindowAsAConvenantWould() {
    assertThat(limit(Duration.ofMinutes(90)).windowText()).isEqualTo("PT1H30M");
    assertThat(limit(Duration.ofHours(26)).windowText()).isEqualTo("P1DT2H");
    assertThat(limit(Duration.ofSeconds(45)).windowText()).isEqualTo("PT45S");
    assertThat(limit(Duration.ofDays(2).plusSeconds(5)).windowText()).isEqualTo("P2DT5S");
  }

  private static Limit limit(Duration window) {
    return new Limit(Optional.empty(), Limit.Per.ANALYST, 1, window);
  }
}
