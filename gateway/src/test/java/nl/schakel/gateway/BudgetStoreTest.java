package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import nl.schakel.covenant.Limit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets as data: per analyst and per party, sliding windows, durable, and a file that stays small. */
class BudgetStoreTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  static final Limit PER_ANALYST = new Limit(Optional.of("huisverbod"), Limit.Per.ANALYST, 2, Duration.ofHours(1));
  static final Limit PER_PARTY = new Limit(Optional.empty(), Limit.Per.PARTY, 3, Duration.ofHours(1));
  static final Function<String, List<Limit>> LIMITS =
      id -> id.equals("zvo") ? List.of(PER_ANALYST, PER_PARTY) : List.of();

  @TempDir
  Path dir;

  static boolean charged(BudgetStore.Charge c) {
    if (c instanceof BudgetStore.Charged ok) {
      ok.durable().join();
      return true;
    }
    return false;
  }

  @Test
  void refusesTheAnalystPastHerLimitAndThePartyPastItsLimitAcrossAnalysts() throws Exception {
    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0)) {
      assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0))).isTrue();
      assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(600)))).isTrue();

      BudgetStore.Charge third = budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(900));
      assertThat(third).isEqualTo(new BudgetStore.Exhausted(PER_ANALYST, Duration.ofMinutes(45)));

      assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "bert", T0.plusSeconds(900)))).isTrue();
      BudgetStore.Charge party = budgets.tryCharge("zvo", "zvh-casus", "gemeente", "carla", T0.plusSeconds(900));
      assertThat(party).isEqualTo(new BudgetStore.Exhausted(PER_PARTY, Duration.ofMinutes(45)));
      assertThat(charged(budgets.tryCharge("zvo", "zvh-casus", "politie", "carla", T0.plusSeconds(900)))).isTrue();
    }
  }

  @Test
  void aRefusedQuestionIsNotChargedAndTheWindowSlides() throws Exception {
    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0)) {
      charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0));
      charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(1800)));
      for (int i = 0; i < 5; i++) {
        assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(1800)))).isFalse();
      }

      assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(3600)))).isTrue();
    }
  }

  @Test
  void questionsWithoutAMatchingLimitAreNeitherChargedNorStored() throws Exception {
    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0)) {
      for (int i = 0; i < 10; i++) {
        assertThat(charged(budgets.tryCharge("other", "huisverbod", "gemeente", "anna", T0))).isTrue();
      }
    }
    assertThat(Files.readAllLines(dir.resolve(BudgetStore.FILE))).isEmpty();
  }

  @Test
  void chargesAreReplayedAfterAReopenAndExpiredOnesDropped() throws Exception {
    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0)) {
      charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0));
      charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(1800)));
    }
    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0.plusSeconds(1900))) {
      assertThat(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(1900)))
          .isInstanceOf(BudgetStore.Exhausted.class);
    }
    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0.plusSeconds(3700))) {
      assertThat(Files.readAllLines(dir.resolve(BudgetStore.FILE))).hasSize(1);
      assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0.plusSeconds(3700)))).isTrue();
    }
  }

  @Test
  void theFileStaysBoundedWhileChargesExpire() throws Exception {
    Limit perSecond = new Limit(Optional.empty(), Limit.Per.ANALYST, 1, Duration.ofSeconds(1));
    List<java.util.concurrent.CompletableFuture<Void>> writes = new java.util.ArrayList<>();
    try (BudgetStore budgets = BudgetStore.open(dir, id -> List.of(perSecond), T0)) {
      for (int i = 0; i < 3000; i++) {
        BudgetStore.Charge c = budgets.tryCharge("zvo", "p", "gemeente", "anna", T0.plusSeconds(i));
        writes.add(((BudgetStore.Charged) c).durable());
      }
      writes.forEach(java.util.concurrent.CompletableFuture::join);
    }
    // Every charge but the last has left its one-second window: the file holds little beyond the slack.
    assertThat(Files.readAllLines(dir.resolve(BudgetStore.FILE)).size()).isLessThan(BudgetStore.COMPACT_SLACK + 50);
  }

  @Test
  void aTornLastRecordFromACrashIsCutOff() throws Exception {
    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0)) {
      charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0));
    }
    Files.writeString(dir.resolve(BudgetStore.FILE), "{\"at\":17", StandardOpenOption.APPEND);

    try (BudgetStore budgets = BudgetStore.open(dir, LIMITS, T0)) {
      assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0))).isTrue();
      assertThat(charged(budgets.tryCharge("zvo", "huisverbod", "gemeente", "anna", T0))).isFalse();
    }
  }

  @Test
  void refusesToStartOnADamagedFileNamingTheLine() throws Exception {
    Files.writeString(dir.resolve(BudgetStore.FILE), "{\"at\":1,\"covenant\":\"zvo\",\"purpose\":\"p\",\"party\":\"g\","
        + "\"person\":\"a\"}\nnot json\n");

    assertThatThrownBy(() -> BudgetStore.open(dir, LIMITS, T0))
        .isInstanceOf(IOException.class).hasMessageContaining("line 2").hasMessageContaining("damaged");
  }

  @Test
  void describesALimitInTheConvenantsOwnTerms() {
    assertThat(new Limit(Optional.of("huisverbod"), Limit.Per.ANALYST, 20, Duration.ofDays(1)).describe())
        .isEqualTo("20 per analyst per P1D for purpose huisverbod");
    assertThat(new Limit(Optional.empty(), Limit.Per.PARTY, 5, Duration.ofMinutes(90)).describe())
        .isEqualTo("5 per party per PT1H30M for purpose any");
    assertThat(new Limit(Optional.empty(), Limit.Per.PARTY, 5, Duration.ofHours(26)).windowText()).isEqualTo("P1DT2H");
  }

  @Test
  void aSecondGatewayCannotTakeALockedStateDirectory() throws Exception {
    try (StateDirectory first = StateDirectory.open(dir)) {
      assertThatThrownBy(() -> StateDirectory.open(dir)).isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another gateway");
    }
    StateDirectory.open(dir).close();
  }
}
