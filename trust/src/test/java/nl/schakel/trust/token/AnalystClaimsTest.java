package nl.schakel.trust.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnalystClaimsTest {

  private static AnalystClaims withTtl(Duration ttl) {
    return new AnalystClaims("iss", "aud", "politie", "agent.jansen", List.of("analist"), ttl);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT-1S", "PT0.5S", "PT12H0.001S", "PT12H1S", "PT24H", "P7D"})
  void rejectsTtlsOutsideOneSecondToTwelveHours(String ttl) {
    assertThatThrownBy(() -> withTtl(Duration.parse(ttl)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token ttl must be between PT1S and PT12H, found " + Duration.parse(ttl));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT1S", "PT5M", "PT12H"})
  void acceptsTtlsFromOneSecondToTwelveHours(String ttl) {
    assertThat(withTtl(Duration.parse(ttl)).ttl()).isEqualTo(Duration.parse(ttl));
  }

  @Test
  void rejectsAMissingTtl() {
    assertThatThrownBy(() -> withTtl(null)).hasMessageStartingWith("token ttl must be between");
  }

  @Test
  void rejectsBlankNames() {
    assertThatThrownBy(
            () -> new AnalystClaims("iss", "aud", " ", "agent.jansen", List.of(), Duration.ofMinutes(5)))
        .hasMessage("party must be a non-blank string");
    assertThatThrownBy(
            () -> new AnalystClaims("iss", "aud", "politie", "", List.of(), Duration.ofMinutes(5)))
        .hasMessage("person must be a non-blank string");
    assertThatThrownBy(
            () -> new AnalystClaims("iss", "aud", "politie", "a", List.of("ok", " "), Duration.ofMinutes(5)))
        .hasMessage("every role must be a non-blank string");
    assertThatThrownBy(
            () -> new AnalystClaims("iss", "aud", "politie", "a", Arrays.asList("ok", null), Duration.ofMinutes(5)))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void keepsItsOwnCopyOfTheRoles() {
    List<String> roles = new ArrayList<>(List.of("analist"));
    AnalystClaims claims = new AnalystClaims("iss", "aud", "politie", "a", roles, Duration.ofMinutes(5));

    roles.add("admin");

    assertThat(claims.roles()).containsExactly("analist");
  }
}
