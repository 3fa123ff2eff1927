package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.KvkNumber;
import org.junit.jupiter.api.Test;

class SequenceWatchTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-29T10:00:00Z"));
  private final SequenceWatch watch =
      new SequenceWatch(new SequenceWatch.Settings(5, Duration.ofHours(1), SequenceWatch.Action.FLAG), clock);

  /** Valid BSNs (elfproef) in increasing order from {@code start}: what an enumerating script asks. */
  private static List<Bsn> validBsnsFrom(int start, int count) {
    List<Bsn> out = new ArrayList<>();
    for (int n = start; out.size() < count; n++) {
      String digits = String.format("%09d", n);
      int sum = 0;
      for (int i = 0; i < 8; i++) {
        sum += (9 - i) * (digits.charAt(i) - '0');
      }
      sum -= digits.charAt(8) - '0';
      if (sum != 0 && sum % 11 == 0) {
        out.add(Bsn.parse(digits));
      }
    }
    return out;
  }

  @Test
  void flagsTheFifthConsecutiveBsnOfOneAnalyst() {
    List<Bsn> run = validBsnsFrom(123_456_000, 6);
    List<Boolean> flagged = new ArrayList<>();
    for (Bsn bsn : run) {
      flagged.add(watch.observe("zvh", "p.jansen", bsn));
    }
    assertThat(flagged).containsExactly(false, false, false, false, true, true);
  }

  @Test
  void repeatingOneSubjectIsNotASequence() {
    Bsn bsn = validBsnsFrom(123_456_000, 1).get(0);
    for (int i = 0; i < 20; i++) {
      assertThat(watch.observe("zvh", "p.jansen", bsn)).isFalse();
    }
  }

  @Test
  void scatteredSubjectsAreNotASequence() {
    for (int i = 0; i < 20; i++) {
      Bsn far = validBsnsFrom(100_000_000 + i * 7_000_000, 1).get(0);
      assertThat(watch.observe("zvh", "p.jansen", far)).isFalse();
    }
  }

  @Test
  void countsPerAnalystNotAcrossColleagues() {
    List<Bsn> run = validBsnsFrom(123_456_000, 8);
    for (int i = 0; i < run.size(); i++) {
      assertThat(watch.observe("zvh", "analist-" + i, run.get(i))).isFalse();
    }
  }

  @Test
  void forgetsQuestionsOlderThanTheWindow() {
    List<Bsn> run = validBsnsFrom(123_456_000, 5);
    for (int i = 0; i < 4; i++) {
      watch.observe("zvh", "p.jansen", run.get(i));
    }
    clock.advance(Duration.ofMinutes(61));
    assertThat(watch.observe("zvh", "p.jansen", run.get(4))).isFalse();
  }

  @Test
  void aRunAcrossANeighbourhoodBoundaryStillCounts() {
    // 123455990 .. 123456050 straddles the boundary at 123456000.
    List<Bsn> run = validBsnsFrom(123_455_990, 5);
    boolean last = false;
    for (Bsn bsn : run) {
      last = watch.observe("zvh", "p.jansen", bsn);
    }
    assertThat(last).isTrue();
  }

  @Test
  void formsAreWatchedSeparately() {
    List<Bsn> bsns = validBsnsFrom(12_345_000, 2);
    watch.observe("riec", "a", bsns.get(0));
    watch.observe("riec", "a", bsns.get(1));
    assertThat(watch.observe("riec", "a", KvkNumber.parse("12345001"))).isFalse();
    assertThat(watch.observe("riec", "a", KvkNumber.parse("12345002"))).isFalse();
  }

  @Test
  void forgetsAnalystsWhoStoppedAsking() {
    Bsn bsn = validBsnsFrom(123_456_000, 1).get(0);
    for (int i = 0; i < SequenceWatch.SWEEP_EVERY; i++) {
      watch.observe("zvh", "eenmalig-" + i, bsn);
    }
    clock.advance(Duration.ofMinutes(61));
    for (int i = 0; i < SequenceWatch.SWEEP_EVERY; i++) {
      watch.observe("zvh", "p.jansen", bsn);
    }
    assertThat(watch.analystsWatched()).isEqualTo(1);
  }

  @Test
  void refusesMeaninglessSettings() {
    assertThatThrownBy(() -> new SequenceWatch.Settings(1, Duration.ofHours(1), SequenceWatch.Action.FLAG))
        .hasMessageContaining("threshold must be at least 2, found 1");
    assertThatThrownBy(() -> new SequenceWatch.Settings(5, Duration.ZERO, SequenceWatch.Action.REFUSE))
        .hasMessageContaining("window must be positive");
  }
}
