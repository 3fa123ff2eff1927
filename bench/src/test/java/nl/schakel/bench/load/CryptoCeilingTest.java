package nl.schakel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CryptoCeilingTest {
  private static final CryptoCeiling.Costs COSTS = new CryptoCeiling.Costs(50, 100, "given");

  @Test
  void countsOneQuestionSignatureAndPerNodeAnswersWithAmortisedTokensAndCheckpoints() {
    CryptoCeiling.Ceiling c = CryptoCeiling.compute(COSTS, 8, 2, 1000, 20);

    // signs: 1 question + 8 answers + (2 gateway + 8 node) entries / 20 per commit; verifies: 8 + 8 + 8 / 1000.
    assertThat(c.signsPerQuestion()).isCloseTo(9.5, within(1e-9));
    assertThat(c.verifiesPerQuestion()).isCloseTo(16.008, within(1e-9));
    assertThat(c.cpuMicrosPerQuestion()).isCloseTo(9.5 * 50 + 16.008 * 100, within(1e-9));
    assertThat(c.questionsPerSecond()).isCloseTo(2e6 / (9.5 * 50 + 16.008 * 100), within(1e-6));
    assertThat(c.assumptions()).contains("8 answers").contains("1000 questions per token");
  }

  @Test
  void moreNodesLowerTheCeiling() {
    assertThat(CryptoCeiling.compute(COSTS, 16, 2, 1000, 20).questionsPerSecond())
        .isLessThan(CryptoCeiling.compute(COSTS, 1, 2, 1000, 20).questionsPerSecond());
  }

  @Test
  void rejectsNonsenseCounts() {
    assertThatThrownBy(() -> CryptoCeiling.compute(COSTS, 0, 2, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
  }

  @Test
  void measuresBothOperationsWithTheTrustSigningApi() {
    CryptoCeiling.Costs measured = CryptoCeiling.measure(Duration.ofMillis(30));
    assertThat(measured.signMicros()).isPositive();
    assertThat(measured.verifyMicros()).isPositive();
    assertThat(measured.source()).contains("Bouncy Castle");
  }
}
