package nl.schakel.node;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * The node's index as it was before the compact layout (maps of mention lists, one object per
 * record), kept as the executable specification the compact index must agree with. Test code only.
 */
final class ReferenceIndex {
  private record Mention(String category, LocalDate date, int key) {}

  private record Row(SubjectRecord r, String area) {}

  private static final Comparator<Row> IDENTITY = Comparator.comparing((Row w) -> w.r().form())
      .thenComparing(w -> w.r().category())
      .thenComparing(w -> w.r().date())
      .thenComparing(Row::area);

  private final Map<Pseudonym, List<Mention>> bySubject = new HashMap<>();
  private final Map<String, List<Mention>> byArea = new HashMap<>();

  ReferenceIndex(List<SubjectRecord> records, CellKeys keys) {
    Map<Pseudonym, List<Row>> rows = new HashMap<>();
    for (SubjectRecord r : records) {
      rows.computeIfAbsent(r.subject(), k -> new ArrayList<>()).add(new Row(r, r.area().map(AreaCode::code).orElse("")));
    }
    rows.forEach((subject, subjectRows) -> {
      subjectRows.sort(IDENTITY);
      List<Mention> mentions = new ArrayList<>();
      Row previous = null;
      int ordinal = 0;
      for (Row row : subjectRows) {
        ordinal = row.equals(previous) ? ordinal + 1 : 0;
        SubjectRecord r = row.r();
        Mention m = new Mention(r.category(), r.date(),
            keys.recordKey(r.form(), subject, r.category(), r.date(), row.area(), ordinal));
        mentions.add(m);
        r.area().ifPresent(a -> enclosingCodes(a).forEach(code -> byArea.computeIfAbsent(code, k -> new ArrayList<>()).add(m)));
        previous = row;
      }
      bySubject.put(subject, mentions);
    });
  }

  Tally tallySubject(Pseudonym subject, Set<String> categories, Lookback lookback) {
    return tally(bySubject.getOrDefault(subject, List.of()), categories, lookback);
  }

  Tally tallyArea(AreaCode area, Set<String> categories, Lookback lookback) {
    return tally(byArea.getOrDefault(area.code(), List.of()), categories, lookback);
  }

  private static Tally tally(List<Mention> mentions, Set<String> categories, Lookback lookback) {
    long n = 0;
    int cellKey = 0;
    for (Mention m : mentions) {
      if (categories.contains(m.category()) && lookback.includes(m.date())) {
        n++;
        cellKey += m.key();
      }
    }
    return n == 0 ? Tally.EMPTY : new Tally(n, cellKey);
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
