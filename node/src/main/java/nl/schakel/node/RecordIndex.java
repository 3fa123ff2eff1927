package nl.schakel.node;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import nl.schakel.node.index.BuildProgress;
import nl.schakel.node.index.CompactIndex;
import nl.schakel.node.index.Filter;
import nl.schakel.node.index.IndexBuilder;
import nl.schakel.node.index.Matches;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * The node's in-memory view of its records: per subject pseudonym and per area, which categories
 * mention it on which days, each record with its key for cell-key perturbation. Immutable once
 * built, so answers can read it without locks while a refresh builds the next one beside it.
 * Derived data: it can always be rebuilt from the source.
 *
 * <p>The layout is {@link CompactIndex}'s (primitive arrays, a 16-byte pseudonym prefix per
 * subject, per-area counts by category and day); this class ties it to the node's types and its
 * secret {@link CellKeys}.
 */
final class RecordIndex {
  private final CompactIndex index;
  private final java.util.Optional<DeclaredForms> declared;

  private RecordIndex(CompactIndex index, java.util.Optional<DeclaredForms> declared) {
    this.index = index;
    this.declared = declared;
  }

  static Builder builder(CellKeys keys) {
    return builder(keys, p -> {});
  }

  /** A builder that tells {@code progress} at each stage and every million records. */
  static Builder builder(CellKeys keys, Consumer<BuildProgress> progress) {
    return builder(keys, progress, java.util.Optional.empty());
  }

  /**
   * As above, answering for exactly the {@code declared} forms when present (node.yaml {@code
   * identifier-forms}), else for the forms the records hold (docs/decisions.md D3).
   */
  static Builder builder(CellKeys keys, Consumer<BuildProgress> progress, java.util.Optional<DeclaredForms> declared) {
    return new Builder(CompactIndex.builder(keys::recordKey, progress), declared);
  }

  /** Records about the subject in one of {@code categories} that {@code lookback} includes. */
  Tally tallySubject(Pseudonym subject, Set<String> categories, Lookback lookback) {
    return tally(index.subject(subject, new Filter(categories, lookback.firstDay())));
  }

  /**
   * Records located in the area in one of {@code categories} that {@code lookback} includes. A
   * wijk or gemeente code counts every buurt within it, since CBS codes nest.
   */
  Tally tallyArea(AreaCode area, Set<String> categories, Lookback lookback) {
    return tally(index.area(area, new Filter(categories, lookback.firstDay())));
  }

  /**
   * The identifier forms this node answers for: the declared ones, else those its records use. A
   * question in another form cannot be matched and is refused.
   */
  Set<IdentifierForm> identifierForms() {
    return declared.map(DeclaredForms::subjects).orElseGet(index::identifierForms);
  }

  /** Whether area questions are answered: always, unless declared forms leave out cbs-area-code. */
  boolean answersAreas() {
    return declared.map(DeclaredForms::areas).orElse(true);
  }

  /** Whether cbs-area-code is declared, so Describe names it. */
  boolean declaresAreas() {
    return declared.map(DeclaredForms::areas).orElse(false);
  }

  /** Each category in the records, with the identifier forms its subjects have. */
  Map<String, Set<IdentifierForm>> formsPerCategory() {
    return index.formsPerCategory();
  }

  long records() {
    return index.records();
  }

  /** The index's heap footprint computed from its array lengths, for metrics. */
  long footprintBytes() {
    return index.footprintBytes();
  }

  private static Tally tally(Matches m) {
    return m.count() == 0 ? Tally.EMPTY : new Tally(m.count(), m.cellKey());
  }

  /**
   * Collects records, then numbers identical ones and derives their keys in {@link #build()}: the
   * ordinal of a row among identical rows must not depend on the order the source delivered them.
   * Identical rows are separate records and count once each.
   */
  static final class Builder {
    private final IndexBuilder builder;
    private final java.util.Optional<DeclaredForms> declared;

    private Builder(IndexBuilder builder, java.util.Optional<DeclaredForms> declared) {
      this.builder = builder;
      this.declared = declared;
    }

    void add(SubjectRecord r) {
      builder.add(r.form(), r.subject(), r.category(), r.date(), r.area());
    }

    /** Where the build stands; safe to read from another thread, e.g. for metrics. */
    BuildProgress progress() {
      return builder.progress();
    }

    /** The index; this builder is spent afterwards. */
    RecordIndex build() {
      return new RecordIndex(builder.build(), declared);
    }
  }
}
