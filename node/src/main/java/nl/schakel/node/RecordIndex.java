package nl.schakel.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * The node's in-memory view of its records: per subject pseudonym and per area, which categories
 * mention it on which days. Immutable once built, so answers can read it without locks while a
 * refresh builds the next one beside it. Derived data: it can always be rebuilt from the source.
 */
final class RecordIndex {
  private final Map<Pseudonym, List<Mention>> bySubject;
  private final Map<String, List<Mention>> byArea;
  private final Set<IdentifierForm> forms;
  private final Map<String, Set<IdentifierForm>> formsPerCategory;
  private final long records;

  private RecordIndex(Builder b) {
    this.bySubject = b.bySubject;
    this.byArea = b.byArea;
    this.forms = Set.copyOf(b.forms);
    this.formsPerCategory = Map.copyOf(b.formsPerCategory);
    this.records = b.records;
  }

  static Builder builder() {
    return new Builder();
  }

  /** Mentions of the subject matching {@code filter}. */
  long countSubject(Pseudonym subject, Predicate<Mention> filter) {
    return count(bySubject.get(subject), filter);
  }

  /**
   * Mentions located in the area matching {@code filter}. A wijk or gemeente code counts every
   * buurt within it, since CBS codes nest (BU0344 01 01 lies in WK0344 01 and GM0344).
   */
  long countArea(AreaCode area, Predicate<Mention> filter) {
    return count(byArea.get(area.code()), filter);
  }

  /** The identifier forms this node's records use: a question in another form cannot be matched. */
  Set<IdentifierForm> identifierForms() {
    return forms;
  }

  /** Each category in the records, with the identifier forms its subjects have. */
  Map<String, Set<IdentifierForm>> formsPerCategory() {
    return formsPerCategory;
  }

  long records() {
    return records;
  }

  private static long count(Collection<Mention> mentions, Predicate<Mention> filter) {
    if (mentions == null) {
      return 0;
    }
    long n = 0;
    for (Mention m : mentions) {
      if (filter.test(m)) {
        n++;
      }
    }
    return n;
  }

  static final class Builder {
    private final Map<Pseudonym, List<Mention>> bySubject = new HashMap<>();
    private final Map<String, List<Mention>> byArea = new HashMap<>();
    private final Set<IdentifierForm> forms = EnumSet.noneOf(IdentifierForm.class);
    private final Map<String, Set<IdentifierForm>> formsPerCategory = new HashMap<>();
    private long records;

    void add(SubjectRecord r) {
      Mention m = new Mention(r.category(), r.date());
      bySubject.computeIfAbsent(r.subject(), k -> new ArrayList<>(2)).add(m);
      r.area().ifPresent(area -> {
        for (String code : enclosingCodes(area)) {
          byArea.computeIfAbsent(code, k -> new ArrayList<>()).add(m);
        }
      });
      forms.add(r.form());
      formsPerCategory.computeIfAbsent(r.category(), k -> EnumSet.noneOf(IdentifierForm.class)).add(r.form());
      records++;
    }

    RecordIndex build() {
      formsPerCategory.replaceAll((k, v) -> Set.copyOf(v));
      return new RecordIndex(this);
    }

    private static List<String> enclosingCodes(AreaCode area) {
      String code = area.code();
      String digits = code.substring(2);
      return switch (area.level()) {
        case BUURT -> List.of(code, "WK" + digits.substring(0, 6), "GM" + digits.substring(0, 4));
        case WIJK -> List.of(code, "GM" + digits.substring(0, 4));
        case GEMEENTE -> List.of(code);
      };
    }
  }
}
