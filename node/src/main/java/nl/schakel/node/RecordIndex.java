package nl.schakel.node;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * The node's in-memory view of its records: per subject pseudonym and per area, which categories
 * mention it on which days, each mention with its record key for cell-key perturbation. Immutable
 * once built, so answers can read it without locks while a refresh builds the next one beside it.
 * Derived data: it can always be rebuilt from the source.
 */
final class RecordIndex {
  private final Map<Pseudonym, List<Mention>> bySubject;
  private final Map<String, List<Mention>> byArea;
  private final Set<IdentifierForm> forms;
  private final Map<String, Set<IdentifierForm>> formsPerCategory;
  private final long records;

  private RecordIndex(Map<Pseudonym, List<Mention>> bySubject, Map<String, List<Mention>> byArea, Builder b) {
    this.bySubject = bySubject;
    this.byArea = byArea;
    this.forms = Set.copyOf(b.forms);
    this.formsPerCategory = Map.copyOf(b.formsPerCategory);
    this.records = b.records;
  }

  static Builder builder(CellKeys keys) {
    return new Builder(keys);
  }

  /** Mentions of the subject matching {@code filter}, with their cell key. */
  Tally tallySubject(Pseudonym subject, Predicate<Mention> filter) {
    return tally(bySubject.get(subject), filter);
  }

  /**
   * Mentions located in the area matching {@code filter}. A wijk or gemeente code counts every
   * buurt within it, since CBS codes nest (BU0344 01 01 lies in WK0344 01 and GM0344).
   */
  Tally tallyArea(AreaCode area, Predicate<Mention> filter) {
    return tally(byArea.get(area.code()), filter);
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

  private static Tally tally(Collection<Mention> mentions, Predicate<Mention> filter) {
    if (mentions == null) {
      return Tally.EMPTY;
    }
    long n = 0;
    int cellKey = 0;
    for (Mention m : mentions) {
      if (filter.test(m)) {
        n++;
        cellKey += m.key(); // wraps: the sum modulo 2^32 is the cell key
      }
    }
    return new Tally(n, cellKey);
  }

  /**
   * Collects records, then numbers identical ones and derives their keys in {@link #build()}: the
   * ordinal of a row among identical rows must not depend on the order the source delivered them.
   */
  static final class Builder {
    /** Sorting the rows of one subject makes identical rows adjacent, whatever the source order. */
    private static final Comparator<Row> IDENTITY = Comparator.comparing(Row::form)
        .thenComparing(Row::category)
        .thenComparing(Row::date)
        .thenComparing(Row::area);

    private final CellKeys keys;
    private final Map<Pseudonym, List<Row>> rows = new HashMap<>();
    // One String per distinct category and area, not one per record; and each area's enclosing codes once.
    private final Map<String, String> categories = new HashMap<>();
    private final Map<String, List<String>> enclosing = new HashMap<>();
    private final Set<IdentifierForm> forms = EnumSet.noneOf(IdentifierForm.class);
    private final Map<String, Set<IdentifierForm>> formsPerCategory = new HashMap<>();
    private long records;

    private Builder(CellKeys keys) {
      this.keys = keys;
    }

    /** A record before its key is known; {@code area} is the CBS code or "". */
    private record Row(IdentifierForm form, String category, LocalDate date, String area) {}

    void add(SubjectRecord r) {
      String category = categories.computeIfAbsent(r.category(), c -> c);
      String area = r.area().map(a -> {
        List<String> codes = enclosing.computeIfAbsent(a.code(), c -> enclosingCodes(a));
        return codes.get(0);
      }).orElse("");
      rows.computeIfAbsent(r.subject(), k -> new ArrayList<>(2)).add(new Row(r.form(), category, r.date(), area));
      forms.add(r.form());
      formsPerCategory.computeIfAbsent(category, k -> EnumSet.noneOf(IdentifierForm.class)).add(r.form());
      records++;
    }

    /** The index; this builder is spent afterwards. */
    RecordIndex build() {
      Map<Pseudonym, List<Mention>> bySubject = new HashMap<>();
      Map<String, List<Mention>> byArea = new HashMap<>();
      // Rows are dropped subject by subject, so the peak holds rows and mentions of one subject only twice.
      for (Iterator<Map.Entry<Pseudonym, List<Row>>> it = rows.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Pseudonym, List<Row>> e = it.next();
        List<Row> subjectRows = e.getValue();
        subjectRows.sort(IDENTITY);
        List<Mention> mentions = new ArrayList<>(subjectRows.size());
        Row previous = null;
        int ordinal = 0;
        for (Row row : subjectRows) {
          ordinal = row.equals(previous) ? ordinal + 1 : 0;
          Mention m = new Mention(row.category(), row.date(),
              keys.recordKey(row.form(), e.getKey(), row.category(), row.date(), row.area(), ordinal));
          mentions.add(m);
          if (!row.area().isEmpty()) {
            for (String code : enclosing.get(row.area())) {
              byArea.computeIfAbsent(code, k -> new ArrayList<>()).add(m);
            }
          }
          previous = row;
        }
        bySubject.put(e.getKey(), mentions);
        it.remove();
      }
      formsPerCategory.replaceAll((k, v) -> Set.copyOf(v));
      return new RecordIndex(bySubject, byArea, this);
    }

    /** The area's own code first, then the codes that enclose it. */
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
