package nl.schakel.node.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;
import org.junit.jupiter.api.Test;

/** The compact index on hand-made records; equality with the former index is RecordIndexEquivalenceTest's. */
class CompactIndexTest {
  static final LocalDate DAY = LocalDate.of(2026, 11, 29);
  static final Set<String> ALL = Set.of("melding", "overlast", "incident.drugs");
  static final Filter EVERYTHING = new Filter(ALL, Optional.empty());
  /** Keys that are easy to sum by hand: 1000 + ordinal. */
  static final RecordKeys THOUSAND_PLUS_ORDINAL = (form, subject, category, date, area, ordinal) -> 1000 + ordinal;

  final Random random = new Random(20261129);

  @Test
  void emptyIndexMatchesNothing() {
    CompactIndex index = CompactIndex.builder(THOUSAND_PLUS_ORDINAL).build();

    assertThat(index.subject(pseudonym(), EVERYTHING)).isEqualTo(Matches.NONE);
    assertThat(index.area(AreaCode.parse("GM0344"), EVERYTHING)).isEqualTo(Matches.NONE);
    assertThat(index.records()).isZero();
    assertThat(index.identifierForms()).isEmpty();
    assertThat(index.formsPerCategory()).isEmpty();
  }

  @Test
  void countsSubjectRecordsInSelectedCategoriesOnOrAfterFirstDay() {
    Pseudonym subject = pseudonym();
    IndexBuilder b = CompactIndex.builder(THOUSAND_PLUS_ORDINAL);
    b.add(IdentifierForm.BSN, subject, "melding", DAY.minusDays(10), Optional.empty());
    b.add(IdentifierForm.BSN, subject, "melding", DAY.minusDays(3), Optional.empty());
    b.add(IdentifierForm.BSN, subject, "overlast", DAY, Optional.empty());
    b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY, Optional.empty());
    CompactIndex index = b.build();

    assertThat(index.subject(subject, EVERYTHING)).isEqualTo(new Matches(3, 3000));
    assertThat(index.subject(subject, new Filter(Set.of("melding"), Optional.empty()))).isEqualTo(new Matches(2, 2000));
    assertThat(index.subject(subject, new Filter(Set.of("melding"), Optional.of(DAY.minusDays(3)))))
        .as("the first day counts, the day before does not").isEqualTo(new Matches(1, 1000));
    assertThat(index.subject(subject, new Filter(Set.of("unknown-category"), Optional.empty()))).isEqualTo(Matches.NONE);
    assertThat(index.subject(pseudonym(), EVERYTHING)).as("a subject never added").isEqualTo(Matches.NONE);
  }

  @Test
  void identicalRecordsCountTwiceWithOrdinalsZeroAndOne() {
    Pseudonym subject = pseudonym();
    List<Integer> ordinals = new ArrayList<>();
    RecordKeys keys = (form, s, category, date, area, ordinal) -> {
      ordinals.add(ordinal);
      return 1000 + ordinal;
    };
    IndexBuilder b = CompactIndex.builder(keys);
    b.add(IdentifierForm.BSN, subject, "melding", DAY, Optional.of(AreaCode.parse("BU03440101")));
    b.add(IdentifierForm.BSN, subject, "melding", DAY, Optional.of(AreaCode.parse("BU03440101")));
    CompactIndex index = b.build();

    assertThat(ordinals).containsExactly(0, 1);
    assertThat(index.subject(subject, EVERYTHING)).isEqualTo(new Matches(2, 2001));
    assertThat(index.area(AreaCode.parse("BU03440101"), EVERYTHING)).isEqualTo(new Matches(2, 2001));
  }

  @Test
  void givesTheKeyFunctionTheFullPseudonymAndTheRecordAsAdded() {
    Pseudonym subject = pseudonym();
    List<String> seen = new ArrayList<>();
    RecordKeys keys = (form, s, category, date, area, ordinal) -> {
      assertThat(s).isEqualTo(subject);
      seen.add(form + " " + category + " " + date + " '" + area + "' " + ordinal);
      return 7;
    };
    IndexBuilder b = CompactIndex.builder(keys);
    b.add(IdentifierForm.KVK, subject, "overlast", DAY, Optional.of(AreaCode.parse("WK034401")));
    b.add(IdentifierForm.KVK, subject, "melding", DAY, Optional.empty());
    b.build();

    assertThat(seen).containsExactlyInAnyOrder("KVK overlast 2026-11-29 'WK034401' 0", "KVK melding 2026-11-29 '' 0");
  }

  @Test
  void subjectWithManyRecordsAmongManySubjects() {
    Pseudonym busy = pseudonym();
    List<Pseudonym> others = new ArrayList<>();
    IndexBuilder b = CompactIndex.builder(THOUSAND_PLUS_ORDINAL);
    for (int i = 0; i < 20_000; i++) {
      b.add(IdentifierForm.BAG_ID, busy, i % 2 == 0 ? "melding" : "overlast", DAY.minusDays(i % 400), Optional.empty());
      Pseudonym other = pseudonym();
      others.add(other);
      b.add(IdentifierForm.BSN, other, "melding", DAY, Optional.empty());
    }
    CompactIndex index = b.build();

    assertThat(index.subject(busy, new Filter(Set.of("melding"), Optional.empty())).count()).isEqualTo(10_000);
    // Days 0..99 back: 100 of every 400 records, half of them in each category.
    assertThat(index.subject(busy, new Filter(ALL, Optional.of(DAY.minusDays(99)))).count()).isEqualTo(5_000);
    assertThat(index.subjects()).isEqualTo(20_001);
    for (Pseudonym other : others) {
      assertThat(index.subject(other, EVERYTHING)).isEqualTo(new Matches(1, 1000));
    }
  }

  @Test
  void keepsApartPseudonymsThatDifferOnlyInTheirSixteenthByte() {
    byte[] a = new byte[Pseudonym.LENGTH];
    byte[] b = a.clone();
    b[15] = 1;
    IndexBuilder builder = CompactIndex.builder(THOUSAND_PLUS_ORDINAL);
    builder.add(IdentifierForm.BSN, Pseudonym.of(a), "melding", DAY, Optional.empty());
    builder.add(IdentifierForm.BSN, Pseudonym.of(b), "melding", DAY, Optional.empty());
    builder.add(IdentifierForm.BSN, Pseudonym.of(b), "melding", DAY, Optional.empty());
    CompactIndex index = builder.build();

    assertThat(index.subject(Pseudonym.of(a), EVERYTHING).count()).isEqualTo(1);
    assertThat(index.subject(Pseudonym.of(b), EVERYTHING).count()).isEqualTo(2);
  }

  @Test
  void pseudonymsSharingTheirFirstSixteenBytesAreOneSubjectWithTheirOwnKeys() {
    // Documented limit: among keyed-hash outputs a shared 128-bit prefix does not occur in practice.
    byte[] a = new byte[Pseudonym.LENGTH];
    byte[] b = a.clone();
    b[31] = 1;
    List<Integer> ordinals = new ArrayList<>();
    IndexBuilder builder = CompactIndex.builder((form, s, category, date, area, ordinal) -> {
      ordinals.add(ordinal);
      return 1;
    });
    builder.add(IdentifierForm.BSN, Pseudonym.of(a), "melding", DAY, Optional.empty());
    builder.add(IdentifierForm.BSN, Pseudonym.of(b), "melding", DAY, Optional.empty());
    CompactIndex index = builder.build();

    assertThat(index.subjects()).isEqualTo(1);
    assertThat(index.subject(Pseudonym.of(a), EVERYTHING).count()).isEqualTo(2);
    assertThat(ordinals).as("different full pseudonyms are not duplicates").containsExactly(0, 0);
  }

  @Test
  void areaCountsNestFromBuurtToWijkToGemeente() {
    IndexBuilder b = CompactIndex.builder(THOUSAND_PLUS_ORDINAL);
    b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY, Optional.of(AreaCode.parse("BU03440101")));
    b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY.minusDays(1), Optional.of(AreaCode.parse("BU03440102")));
    b.add(IdentifierForm.BSN, pseudonym(), "overlast", DAY, Optional.of(AreaCode.parse("WK034402")));
    b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY, Optional.of(AreaCode.parse("GM0344")));
    b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY, Optional.of(AreaCode.parse("BU05990101")));
    b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY, Optional.empty());
    CompactIndex index = b.build();

    assertThat(index.area(AreaCode.parse("BU03440101"), EVERYTHING).count()).isEqualTo(1);
    assertThat(index.area(AreaCode.parse("WK034401"), EVERYTHING).count()).isEqualTo(2);
    assertThat(index.area(AreaCode.parse("WK034402"), EVERYTHING).count()).isEqualTo(1);
    assertThat(index.area(AreaCode.parse("GM0344"), EVERYTHING)).isEqualTo(new Matches(4, 4000));
    assertThat(index.area(AreaCode.parse("GM0344"), new Filter(Set.of("melding"), Optional.of(DAY))).count())
        .isEqualTo(2);
    assertThat(index.area(AreaCode.parse("GM0599"), EVERYTHING).count()).isEqualTo(1);
    assertThat(index.area(AreaCode.parse("GM0363"), EVERYTHING)).as("an area without records").isEqualTo(Matches.NONE);
    assertThat(index.area(AreaCode.parse("GM0344"), new Filter(Set.of(), Optional.empty()))).isEqualTo(Matches.NONE);
  }

  @Test
  void reportsEachStageAndIsSpentAfterBuilding() {
    List<BuildProgress.Stage> stages = new ArrayList<>();
    IndexBuilder b = CompactIndex.builder(THOUSAND_PLUS_ORDINAL, p -> stages.add(p.stage()));
    assertThat(b.progress()).isEqualTo(new BuildProgress(BuildProgress.Stage.COLLECTING, 0, 0));
    b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY, Optional.empty());
    CompactIndex index = b.build();

    assertThat(stages).containsExactly(BuildProgress.Stage.SORTING, BuildProgress.Stage.KEYING,
        BuildProgress.Stage.AGGREGATING, BuildProgress.Stage.DONE);
    assertThat(b.progress()).isEqualTo(new BuildProgress(BuildProgress.Stage.DONE, 1, 1));
    assertThat(index.footprintBytes()).isPositive();
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("start a new builder");
    assertThatThrownBy(() -> b.add(IdentifierForm.BSN, pseudonym(), "melding", DAY, Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reportsFormsPerCategory() {
    IndexBuilder b = CompactIndex.builder(THOUSAND_PLUS_ORDINAL);
    b.add(IdentifierForm.BSN, pseudonym(), "overlast", DAY, Optional.empty());
    b.add(IdentifierForm.BAG_ID, pseudonym(), "overlast", DAY, Optional.empty());
    b.add(IdentifierForm.KVK, pseudonym(), "melding", DAY, Optional.empty());
    CompactIndex index = b.build();

    assertThat(index.identifierForms()).containsExactlyInAnyOrder(IdentifierForm.BSN, IdentifierForm.BAG_ID,
        IdentifierForm.KVK);
    assertThat(index.formsPerCategory()).isEqualTo(Map.of(
        "overlast", Set.of(IdentifierForm.BSN, IdentifierForm.BAG_ID), "melding", Set.of(IdentifierForm.KVK)));
  }

  @Test
  void rejectsADateBeyondWhatTheIndexStoresWithoutEchoingTheRecord() {
    IndexBuilder b = CompactIndex.builder(THOUSAND_PLUS_ORDINAL);
    assertThatThrownBy(() -> b.add(IdentifierForm.BSN, pseudonym(), "melding", LocalDate.of(999_999_999, 1, 1),
        Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("within 5.8 million years of 1970");
  }

  private Pseudonym pseudonym() {
    byte[] b = new byte[Pseudonym.LENGTH];
    random.nextBytes(b);
    return Pseudonym.of(b);
  }
}
