package nl.schakel.node;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.Rule;
import nl.schakel.covenant.SubjectType;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.Identifier;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.Pseudonym;
import nl.schakel.trust.pseudonym.PseudonymKey;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * {@code schakel node lookup}: which of the operator's own source records made an answer in the
 * node's log. The source is read again and every row pseudonymised with the matching key exactly
 * as ingest does; the rows whose pseudonym is the one the question carried (or whose area lies in
 * the asked area) are returned <em>with their identifiers in clear</em>. This is the formal second
 * step of hit/no-hit, run by the partner on its own machine over its own records; nothing here
 * travels anywhere, and the node's log itself still holds pseudonyms only.
 */
public final class HitLookup {
  private HitLookup() {}

  /**
   * One source row behind an answer.
   *
   * @param row the row number in the source (CSV: line number, header = 1; database: position)
   * @param identifier in clear, as the source holds it (normalised)
   */
  public record Row(long row, String subjectType, String identifier, String category, LocalDate date,
      Optional<String> area) {
    public Row {
      Objects.requireNonNull(subjectType, "subjectType");
      Objects.requireNonNull(identifier, "identifier");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(date, "date");
      Objects.requireNonNull(area, "area");
    }
  }

  /** What a lookup found: rows, or why there are none to show. */
  public sealed interface Result permits Found, NothingToShow {}

  /**
   * The rows that count under the question's filter, how many rows of the same subject or area the
   * filter left out, the filters applied and the ones that could not be.
   */
  public record Found(List<Row> rows, long outsideFilter, List<String> applied, List<String> notApplied)
      implements Result {
    public Found {
      rows = List.copyOf(rows);
      applied = List.copyOf(applied);
      notApplied = List.copyOf(notApplied);
    }
  }

  /** No record was read for the entry (rejected, refused), or none matched (no-hit). */
  public record NothingToShow(String why) implements Result {
    public NothingToShow {
      Objects.requireNonNull(why, "why");
    }
  }

  /** Re-reads the source of {@code config} and finds the rows behind {@code entry}. */
  public static Result find(NodeConfig config, NodeLogEntry entry, Clock clock) throws IOException {
    if (!entry.getRejected().isEmpty()) {
      return new NothingToShow("the envelope was rejected before it was read (" + entry.getRejected()
          + "): no record was consulted");
    }
    if (entry.getOutcome() == Outcome.REFUSED) {
      return new NothingToShow("the question was refused (" + entry.getRefusalReason()
          + "): no record was consulted, and the answer said so, not no-hit");
    }
    if (entry.getOutcome() == Outcome.NO_HIT) {
      return new NothingToShow("the answer was no-hit: none of your records matched the question's filter");
    }
    boolean area = !entry.getAreaCode().isEmpty();
    Optional<AreaCode> askedArea = area ? Optional.of(AreaCode.parse(entry.getAreaCode())) : Optional.empty();
    Optional<Pseudonym> asked = area ? Optional.empty() : Optional.of(Pseudonym.of(entry.getSubjectPseudonym().toByteArray()));

    List<String> applied = new ArrayList<>();
    List<String> notApplied = new ArrayList<>();
    Set<String> categories = new TreeSet<>();
    Lookback lookback = Lookback.NONE;
    Optional<Covenant> covenant = covenantOf(config, entry);
    Optional<Rule> rule = covenant.flatMap(c -> c.rules().stream()
        .filter(r -> r.id().equals(entry.getRuleId())).findFirst());
    if (rule.isPresent()) {
      Covenant c = covenant.get();
      SubjectType subject = rule.get().subject();
      c.party(config.party()).ifPresent(p -> p.categoriesFor(subject).stream()
          .filter(rule.get().categories()::allows).forEach(categories::add));
      lookback = Lookback.of(rule.get().lookback(), Instant.ofEpochMilli(entry.getTimeEpochMs()));
      applied.add("categories of rule " + rule.get().id() + ": " + String.join(", ", categories));
      applied.add(lookback.firstDay().map(d -> "lookback " + rule.get().lookback().get() + ": dated " + d + " or later")
          .orElse("no lookback: every date counts"));
      notApplied.add("the question's own category list is not in the log: the rule's categories are used, which"
          + " include any the question named");
    } else {
      notApplied.add("categories and lookback: convenant " + entry.getCovenantId() + " v" + entry.getCovenantVersion()
          + " rule " + entry.getRuleId() + " is not among this node's covenants now: every category and date shown");
    }

    var matching = HmacPseudonymiser.create(PseudonymKey.readFrom(config.matchingKey()), Node.MATCHING);
    Capturing capturing = new Capturing(matching);
    RecordSource source = new RowAdmission(RecordSource.open(config.source().origin(), capturing,
        name -> Optional.ofNullable(System.getenv(name))), config.identifierForms(), clock);
    List<Row> rows = new ArrayList<>();
    long[] outside = {0};
    Lookback window = lookback;
    source.read(r -> {
      boolean about = askedArea.isPresent()
          ? r.area().isPresent() && within(r.area().get(), askedArea.get())
          : asked.get().equals(r.subject());
      if (!about) {
        return;
      }
      boolean inCategories = rule.isEmpty() || categories.contains(r.category());
      if (!inCategories || !window.includes(r.date())) {
        outside[0]++;
        return;
      }
      rows.add(new Row(r.row(), WireForms.subjectType(r.form()).name().toLowerCase(Locale.ROOT),
          capturing.last().canonical(), r.category(), r.date(), r.area().map(AreaCode::code)));
    });
    return new Found(rows, outside[0], applied, notApplied);
  }

  /** CBS codes nest: a buurt's digits begin with its wijk's, a wijk's with its gemeente's. */
  static boolean within(AreaCode record, AreaCode asked) {
    return record.code().substring(2).startsWith(asked.code().substring(2));
  }

  private static Optional<Covenant> covenantOf(NodeConfig config, NodeLogEntry entry) throws IOException {
    PartyKeys keys = PartyKeys.readDirectory(config.partyKeys());
    return CovenantCopies.load(config.covenants(), config.party(), keys)
        .find(entry.getCovenantId(), entry.getCovenantVersion()).map(CovenantCopies.Copy::covenant);
  }

  /**
   * Remembers the identifier it last pseudonymised: a source hands each record to its sink right
   * after pseudonymising it, on one thread, so the record in hand is of that identifier.
   */
  private static final class Capturing implements Pseudonymiser {
    private final Pseudonymiser inner;
    private Identifier last;

    Capturing(Pseudonymiser inner) {
      this.inner = inner;
    }

    @Override
    public Pseudonym pseudonymise(Identifier id) {
      last = id;
      return inner.pseudonymise(id);
    }

    Identifier last() {
      return last;
    }
  }
}
