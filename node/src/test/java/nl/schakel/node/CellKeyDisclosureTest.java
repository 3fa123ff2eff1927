package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import nl.schakel.covenant.Disclosure;
import nl.schakel.proto.v1.Count;
import org.junit.jupiter.api.Test;

/** The release rule itself, over far more cell keys than a node test can ask about. */
class CellKeyDisclosureTest {
  static final Disclosure.MinRound MIN5_ROUND5 = new Disclosure.MinRound(5, 5, false);

  @Test
  void aRawCountBelowTheMinimumIsNeverShownWhateverTheCellKey() {
    Random random = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      Count c = CellKeyDisclosure.release(new Tally(1 + random.nextInt(4), random.nextInt()), MIN5_ROUND5);

      assertThat(c.getDisplay()).isEqualTo("<5");
      assertThat(c.hasValue()).isFalse();
    }
  }

  @Test
  void aCountAtOrAboveTheMinimumIsAMultipleOfRoundNeverBelowTheMinimumAndWithinFourOfTheTruth() {
    Random random = new Random(5);
    for (int i = 0; i < 100_000; i++) {
      long raw = 5 + random.nextInt(200);
      long released = CellKeyDisclosure.release(new Tally(raw, random.nextInt()), MIN5_ROUND5).getValue();

      assertThat(released % 5).isZero();
      assertThat(released).isGreaterThanOrEqualTo(5).isBetween(raw - 4, raw + 4);
    }
  }

  @Test
  void neverShowsAValueBelowTheFirstMultipleOfRoundThatReachesTheMinimum() {
    Disclosure.MinRound min10Round3 = new Disclosure.MinRound(10, 3, false);
    for (int key = 0; key < 1000; key++) {
      long released = CellKeyDisclosure.release(new Tally(10, key * 4_294_967), min10Round3).getValue();
      assertThat(released).isGreaterThanOrEqualTo(12).matches(v -> v % 3 == 0);
    }
  }

  @Test
  void noiseFollowsTheUniformPTableAcrossCellKeys() {
    assertThat(CellKeyDisclosure.noise(0)).isEqualTo(-2);
    assertThat(CellKeyDisclosure.noise(0xFFFF_FFFF)).isEqualTo(2);
    Map<Integer, Integer> seen = new HashMap<>();
    Random random = new Random(7);
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      seen.merge(CellKeyDisclosure.noise(random.nextInt()), 1, Integer::sum);
    }

    assertThat(seen).containsOnlyKeys(-2, -1, 0, 1, 2);
    assertThat(seen.values()).allSatisfy(count -> assertThat(count / (double) n).isBetween(0.19, 0.21));
  }
}
