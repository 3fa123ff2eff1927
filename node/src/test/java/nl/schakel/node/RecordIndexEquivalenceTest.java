package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;
import org.junit.jupiter.api.Test;

/**
 * The compact index answers every subject and area question exactly as the former map-based
 * index ({@link ReferenceIndex}) did: same counts, same cell keys, on seeded random records with
 * duplicates, a subject with thousands of records, nested areas and records without one.
 */
class RecordIndexEquivalenceTest {
  static final List<String> CATEGORIES = List.of("melding", "overlast", "incident.drugs", "huurcontract",
      "schuldhulp", "toezicht");
  static final LocalDate FIRST = LocalDate.of(2020, 1, 1);
  static final int DAYS = 2500;

  final Random random = new Random(6_2026_11_29L);
  final CellKeys keys = CellKeys.of(bytes(32));

  @Test
  void answersEverySubjectAndAreaQuestionAsTheFormerIndex() {
    List<SubjectRecord> records = records();
    ReferenceIndex reference = new ReferenceIndex(records, keys);
    RecordIndex index = build(records);

    assertThat(index.records()).isEqualTo(records.size());
    List<Pseudonym> subjects = new ArrayList<>(new HashSet<>(records.stream().map(SubjectRecord::subject).toList()));
    for (int i = 0; i < 100; i++) {
      subjects.add(Pseudonym.of(bytes(32)));
    }
    Set<String> areas = new TreeSet<>(List.of("GM0363", "WK036301", "BU03630101"));
    records.forEach(r -> r.area().ifPresent(a -> {
      String d = a.code().substring(2);
      areas.add(a.code());
      areas.add("GM" + d.substring(0, 4));
      if (d.length() >= 6) {
        areas.add("WK" + d.substring(0, 6));
      }
    }));
    int nonZero = 0;
    for (int q = 0; q < 40; q++) {
      Set<String> categories = categories();
      Lookback lookback = lookback();
      for (Pseudonym s : subjects) {
        Tally expected = reference.tallySubject(s, categories, lookback);
        assertThat(index.tallySubject(s, categories, lookback)).as("subject %s, %s, %s", s, categories, lookback)
            .isEqualTo(expected);
        nonZero += expected.count() > 0 ? 1 : 0;
      }
      for (String code : areas) {
        AreaCode area = AreaCode.parse(code);
        assertThat(index.tallyArea(area, categories, lookback)).as("area %s, %s, %s", code, categories, lookback)
            .isEqualTo(reference.tallyArea(area, categories, lookback));
      }
    }
    assertThat(nonZero).as("the comparison must not be all zeros").isGreaterThan(1000);
  }

  @Test
  void sameTalliesWhateverOrderTheSourceDeliversRecordsIn() {
    List<SubjectRecord> records = records();
    RecordIndex first = build(records);
    List<SubjectRecord> shuffled = new ArrayList<>(records);
    Collections.shuffle(shuffled, random);
    RecordIndex second = build(shuffled);

    Set<String> all = Set.copyOf(CATEGORIES);
    for (SubjectRecord r : records) {
      assertThat(second.tallySubject(r.subject(), all, Lookback.NONE))
          .isEqualTo(first.tallySubject(r.subject(), all, Lookback.NONE));
    }
    AreaCode gemeente = AreaCode.parse("GM0344");
    assertThat(second.tallyArea(gemeente, all, Lookback.NONE)).isEqualTo(first.tallyArea(gemeente, all, Lookback.NONE));
  }

  @Test
  void describesFormsPerCategoryAsBefore() {
    List<SubjectRecord> records = records();
    RecordIndex index = build(records);

    Set<IdentifierForm> forms = new HashSet<>();
    records.forEach(r -> forms.add(r.form()));
    assertThat(index.identifierForms()).isEqualTo(forms);
    for (String category : CATEGORIES) {
      Set<IdentifierForm> expected = new HashSet<>();
      records.stream().filter(r -> r.category().equals(category)).forEach(r -> expected.add(r.form()));
      assertThat(index.formsPerCategory().get(category)).isEqualTo(expected);
    }
  }

  private RecordIndex build(List<SubjectRecord> records) {
    RecordIndex.Builder b = RecordIndex.builder(keys);
    records.forEach(b::add);
    return b.build();
  }

  /** About 6 000 records over 800 subjects, one of them with 2 000, and one in ten repeated verbatim. */
  private List<SubjectRecord> records() {
    IdentifierForm[] forms = IdentifierForm.values();
    List<SubjectRecord> records = new ArrayList<>();
    for (int s = 0; s < 800; s++) {
      Pseudonym subject = Pseudonym.of(bytes(32));
      IdentifierForm form = forms[random.nextInt(forms.length)];
      Optional<AreaCode> home = area();
      int n = s == 0 ? 2_000 : 1 + random.nextInt(9);
      for (int i = 0; i < n; i++) {
        Optional<AreaCode> area = random.nextInt(4) == 0 ? area() : home;
        SubjectRecord r = new SubjectRecord(form, subject, CATEGORIES.get(random.nextInt(CATEGORIES.size())),
            FIRST.plusDays(random.nextInt(DAYS)), area);
        records.add(r);
        if (random.nextInt(10) == 0) {
          records.add(r);
        }
      }
    }
    Collections.shuffle(records, random);
    return records;
  }

  /** None, or a buurt, wijk or gemeente in two gemeenten of three wijken of three buurten. */
  private Optional<AreaCode> area() {
    String gemeente = random.nextBoolean() ? "0344" : "0599";
    String wijk = gemeente + "0" + (1 + random.nextInt(3));
    return switch (random.nextInt(10)) {
      case 0, 1 -> Optional.empty();
      case 2 -> Optional.of(AreaCode.parse("GM" + gemeente));
      case 3 -> Optional.of(AreaCode.parse("WK" + wijk));
      default -> Optional.of(AreaCode.parse("BU" + wijk + "0" + (1 + random.nextInt(3))));
    };
  }

  private Set<String> categories() {
    Set<String> chosen = new HashSet<>();
    for (String c : CATEGORIES) {
      if (random.nextInt(3) == 0) {
        chosen.add(c);
      }
    }
    if (random.nextInt(5) == 0) {
      chosen.add("category-the-node-does-not-hold");
    }
    return chosen;
  }

  private Lookback lookback() {
    return random.nextInt(4) == 0 ? Lookback.NONE
        : new Lookback(Optional.of(FIRST.plusDays(random.nextInt(DAYS + 20) - 10)));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
