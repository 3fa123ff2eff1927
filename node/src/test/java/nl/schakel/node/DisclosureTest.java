package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.AnswerKind;
import nl.schakel.proto.v1.Count;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disclosure control at the node (principle 1, COVENANT.md "Counts"): bands instead of counts,
 * small counts suppressed, larger ones perturbed with cell-key noise and rounded. Record sets are
 * generated from fixed seeds, and the node's cell-key secret is fixed, so every run is the same.
 */
class DisclosureTest {
  static final String SIGNAAL = "signaal.ondermijning";
  static final String DRUGS = "incident.drugs";

  @TempDir
  Path dir;

  /** {@code n} records of {@code category} located in {@code buurt}, about random organisations on random days. */
  static String areaRows(Random random, String buurt, String category, int n) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rows.append("organisation,").append(10_000_000 + random.nextInt(90_000_000)).append(',').append(category)
          .append(',').append(LocalDate.of(2026, 1, 1).plusDays(random.nextInt(300))).append(',').append(buurt)
          .append('\n');
    }
    return rows.toString();
  }

  static String buurt(int i) {
    return String.format("BU0344%04d", i);
  }

  static void assertSuppressed(Count c) {
    assertThat(c.getDisplay()).isEqualTo("<5");
    assertThat(c.hasValue()).isFalse();
    assertThat(c.getBand().getLow()).isZero();
    assertThat(c.getBand().getHigh()).isEqualTo(4);
  }

  @Test
  void bandsShowTheBandAndNeverTheCount() throws Exception {
    List<Bsn> persons = Fixtures.bsns(4, 7);
    StringBuilder rows = new StringBuilder();
    int[] incidents = {0, 1, 4, 7};
    for (int p = 0; p < persons.size(); p++) {
      for (int i = 0; i < incidents[p]; i++) {
        rows.append("person,").append(persons.get(p).digits()).append(",incident.huiselijk-geweld,2025-0")
            .append(1 + i).append("-15,\n");
      }
    }
    Questions demo = Questions.demo();
    try (TestNode politie = TestNode.start(dir, "politie", rows.toString())) {
      List<Count> counts = new ArrayList<>();
      for (Bsn person : persons) {
        Answer a = politie.ask(demo.r2(politie.pseudonym(person)));
        assertThat(a.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
        counts.add(a.getCount());
      }

      assertThat(counts).extracting(Count::getDisplay).containsExactly("0", "1-2", "3-5", "6+");
      assertThat(counts).allSatisfy(c -> assertThat(c.hasValue()).isFalse());
      assertThat(counts.get(1).getBand().getLow()).isEqualTo(1);
      assertThat(counts.get(1).getBand().getHigh()).isEqualTo(2);
      assertThat(counts.get(3).getBand().getLow()).isEqualTo(6);
      assertThat(counts.get(3).getBand().getOpenEnded()).isTrue();
    }
  }

  @Test
  void countsBelowTheMinimumAreAlwaysSuppressedAcrossManyRecordSetsAndRepetitions() throws Exception {
    Random random = new Random(11);
    StringBuilder rows = new StringBuilder();
    int buurten = 200;
    for (int b = 0; b < buurten; b++) {
      rows.append(areaRows(random, buurt(b), SIGNAAL, 1 + b % 4));
      rows.append(areaRows(random, buurt(b), DRUGS, random.nextInt(20))); // other categories must not leak in
    }
    Questions demo = Questions.demo();
    try (TestNode politie = TestNode.start(dir, "politie", rows.toString())) {
      for (int b = 0; b < buurten; b++) {
        for (int repeat = 0; repeat < 2; repeat++) {
          // One analyst per buurt: 400 questions by one would exceed the convenant's budget (200 per analyst per P1D).
          Answer a = politie.ask(demo.r4(buurt(b)).setAskerPerson("riec.analist-" + b));
          assertThat(a.getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
          assertSuppressed(a.getCount());
        }
      }
    }
  }

  @Test
  void zeroIsShownUnlessTheConvenantSuppressesIt() throws Exception {
    Path suppressing = Fixtures.covenant(dir, "test-nul", 1, "2026-01-01", "2027-12-31",
        "{min: 5, round: 5, zero: suppress}");
    Questions demo = Questions.demo();
    Questions test = new Questions(suppressing);
    try (TestNode politie = TestNode.start(dir, "politie", "person,999990019,signaal.ondermijning,2026-01-01,\n",
        List.of(TestNode.DEMO, suppressing), Clock.fixed(TestNode.NOW, ZoneOffset.UTC))) {
      Count shown = politie.ask(demo.r4("BU03449999")).getCount();
      Count suppressed = politie.ask(a1(test, "BU03449999", SIGNAAL)).getCount();

      assertThat(shown.getDisplay()).isEqualTo("0");
      assertThat(shown.getValue()).isZero();
      assertSuppressed(suppressed);
    }
  }

  @Test
  void largerCountsAreRoundedAfterNoiseThatDependsOnTheRecords() throws Exception {
    Random random = new Random(13);
    StringBuilder rows = new StringBuilder();
    int buurten = 200;
    for (int b = 0; b < buurten; b++) {
      rows.append(areaRows(random, buurt(b), SIGNAAL, 12));
    }
    Questions demo = Questions.demo();
    try (TestNode politie = TestNode.start(dir, "politie", rows.toString())) {
      List<Long> released = new ArrayList<>();
      for (int b = 0; b < buurten; b++) {
        Count c = politie.ask(demo.r4(buurt(b))).getCount();
        assertThat(c.getDisplay()).isEqualTo(Long.toString(c.getValue()));
        released.add(c.getValue());
      }

      // Twelve records: noise -2..+2 gives 10..14, rounded to 10 or 15, never 12 itself.
      assertThat(released).allSatisfy(v -> assertThat(v).isIn(10L, 15L));
      // Both occur: the noise is real, and differs between record sets of the same size.
      assertThat(new HashSet<>(released)).containsExactlyInAnyOrder(10L, 15L);
      // Unbiased on average (expected 12: 10 with 3/5, 15 with 2/5); any one answer is off.
      double mean = released.stream().mapToLong(Long::longValue).average().orElseThrow();
      assertThat(mean).isBetween(11.0, 13.0);
    }
  }

  @Test
  void askingAgainGivesTheIdenticalAnswerSoRepetitionCannotAverageTheNoiseAway() throws Exception {
    Path covenant = Fixtures.covenant(dir, "test-herhaling", 1);
    Questions test = new Questions(covenant);
    Random random = new Random(17);
    String rows = areaRows(random, buurt(1), SIGNAAL, 21) + areaRows(random, buurt(1), DRUGS, 2);
    try (TestNode politie = TestNode.start(dir, "politie", rows, List.of(covenant),
        Clock.fixed(TestNode.NOW, ZoneOffset.UTC))) {
      Set<Count> answers = new HashSet<>();
      for (int i = 0; i < 25; i++) {
        // Fresh question ids, and the same categories in either order: the same records.
        answers.add(politie.ask(a1(test, buurt(1), SIGNAAL, DRUGS)).getCount());
        answers.add(politie.ask(a1(test, buurt(1), DRUGS, SIGNAAL)).getCount());
      }

      assertThat(answers).hasSize(1);
    }
  }

  @Test
  void theSameRecordsReadInAnotherOrderGetTheSameNoise() throws Exception {
    // An index refresh may read the source in another order; identical rows included, nothing may change.
    Random random = new Random(19);
    List<String> lines = new ArrayList<>();
    for (int b = 0; b < 60; b++) {
      areaRows(random, buurt(b), SIGNAAL, 5 + random.nextInt(30)).lines().forEach(lines::add);
      String duplicate = areaRows(random, buurt(b), SIGNAAL, 1);
      lines.add(duplicate.strip());
      lines.add(duplicate.strip());
    }
    List<String> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, random);
    Questions demo = Questions.demo();
    try (TestNode first = TestNode.start(dir, "politie", String.join("\n", lines) + "\n");
        TestNode second = TestNode.start(dir, "politie", String.join("\n", shuffled) + "\n")) {
      for (int b = 0; b < 60; b++) {
        assertThat(second.ask(demo.r4(buurt(b))).getCount()).isEqualTo(first.ask(demo.r4(buurt(b))).getCount());
      }
    }
  }

  /**
   * Differencing: ask a buurt's count with and without one category, whose raw count {@code small}
   * is 1..4 (below the minimum, so never shown on its own). The attacker knows the method, the
   * p-table, that {@code small} lies in 1..4 and the other count in 10..40, but not the node's
   * secret; from the two released counts it guesses {@code small} by maximum likelihood. On raw
   * counts it would be right every time. This shows that over 300 independent record sets it is
   * right in fewer than half (about a third; blind guessing gets a quarter), and that the plain
   * difference of the two answers never equals {@code small}.
   */
  @Test
  void differencingTwoOverlappingCountsDoesNotRevealASmallCount() throws Exception {
    Path covenant = Fixtures.covenant(dir, "test-differentie", 1);
    Questions test = new Questions(covenant);
    Random random = new Random(23);
    int trials = 300;
    int[] large = new int[trials];
    int[] small = new int[trials];
    StringBuilder rows = new StringBuilder();
    for (int t = 0; t < trials; t++) {
      large[t] = 10 + random.nextInt(31);
      small[t] = 1 + random.nextInt(4);
      rows.append(areaRows(random, buurt(t), SIGNAAL, large[t])).append(areaRows(random, buurt(t), DRUGS, small[t]));
    }
    try (TestNode politie = TestNode.start(dir, "politie", rows.toString(), List.of(covenant),
        Clock.fixed(TestNode.NOW, ZoneOffset.UTC))) {
      int guessedRight = 0;
      int differenceRight = 0;
      for (int t = 0; t < trials; t++) {
        long both = politie.ask(a1(test, buurt(t), SIGNAAL, DRUGS)).getCount().getValue();
        long without = politie.ask(a1(test, buurt(t), SIGNAAL)).getCount().getValue();
        if (t < 20) { // on its own the small count is only ever "<5"
          assertThat(politie.ask(a1(test, buurt(t), DRUGS)).getCount().getDisplay()).isEqualTo("<5");
        }
        if (bestGuess(both, without) == small[t]) {
          guessedRight++;
        }
        if (both - without == small[t]) {
          differenceRight++;
        }
      }

      assertThat(differenceRight).isZero();
      assertThat(guessedRight).as("trials in which the small count was recovered").isLessThan(trials / 2);
    }
  }

  /** The attacker's maximum-likelihood guess of the small count from the two released values. */
  private static int bestGuess(long both, long without) {
    int best = 0;
    double bestLikelihood = -1;
    for (int small = 1; small <= 4; small++) {
      double likelihood = 0;
      for (int large = 10; large <= 40; large++) {
        likelihood += chance(both, large + small) * chance(without, large);
      }
      if (likelihood > bestLikelihood) {
        bestLikelihood = likelihood;
        best = small;
      }
    }
    return best;
  }

  /** P(released = r | raw) for min 5, round 5 under the public p-table, with unknown cell key. */
  private static double chance(long released, int raw) {
    int total = 0;
    int hits = 0;
    for (int i = 0; i < CellKeyDisclosure.NOISE.length; i++) {
      total += CellKeyDisclosure.WEIGHT[i];
      long value = Math.max(5, CellKeyDisclosure.nearestMultiple(Math.max(0, raw + CellKeyDisclosure.NOISE[i]), 5));
      if (value == released) {
        hits += CellKeyDisclosure.WEIGHT[i];
      }
    }
    return hits / (double) total;
  }

  @Test
  void refusesAWijkUnderABuurtRuleSoBuurtenCannotBeDifferencedAgainstIt() throws Exception {
    Questions demo = Questions.demo();
    try (TestNode politie = TestNode.start(dir, "politie", areaRows(new Random(29), buurt(1), SIGNAAL, 30))) {
      Answer a = politie.ask(demo.r4("WK034400"));

      assertThat(a.getOutcome()).isEqualTo(Outcome.REFUSED);
      assertThat(a.getRefusalReason()).isEqualTo("area-level-not-allowed");
    }
  }

  private static Question.Builder a1(Questions covenant, String buurt, String... categories) {
    return covenant.base("riec", List.of("analist"), "ondermijning", "")
        .setSubject(Questions.area(buurt))
        .addResponders(Questions.rule("politie", "A1", AnswerKind.COUNT, categories));
  }
}
