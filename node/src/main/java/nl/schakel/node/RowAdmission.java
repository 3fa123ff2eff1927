package nl.schakel.node;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Consumer;
import nl.schakel.covenant.Covenant;

/**
 * What a node takes in beyond a row being well formed: a subject of a declared identifier form
 * (when {@code identifier-forms} is set) and a date between {@link #EARLIEST} and tomorrow by the
 * node's clock. Either failure rejects that one row, counted and reported like a malformed one, so
 * one absurd row (a year 20260 typed for 2026) cannot fail a whole ingest or stretch the index's
 * day range. Tomorrow, not today: sources in other time zones and records registered a day ahead
 * are normal.
 */
final class RowAdmission implements RecordSource {
  /** Older than any record a partner holds on a living subject. */
  static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);

  private final RecordSource source;
  private final Optional<DeclaredForms> declared;
  private final Clock clock;

  RowAdmission(RecordSource source, Optional<DeclaredForms> declared, Clock clock) {
    this.source = source;
    this.declared = declared;
    this.clock = clock;
  }

  @Override
  public IngestReport read(Consumer<SubjectRecord> sink) throws IOException {
    // Fixed per read, in the convenant's zone, so a read that passes midnight judges every row alike.
    LocalDate latest = Covenant.dayOf(clock.instant()).plusDays(1);
    return source.read(r -> {
      admit(r, latest);
      sink.accept(r);
    });
  }

  @Override
  public String describe() {
    return source.describe();
  }

  /** Throws {@link NotAdmitted} with the reason; the date itself is never echoed (it is record content). */
  void admit(SubjectRecord r, LocalDate latest) {
    if (declared.isPresent() && !declared.get().declares(r.form())) {
      throw new NotAdmitted("identifier form " + r.form().domain() + " is not declared in identifier-forms ("
          + String.join(", ", declared.get().toNames()) + ")");
    }
    if (r.date().isBefore(EARLIEST)) {
      throw new NotAdmitted("date lies before " + EARLIEST + ": expected a date from " + EARLIEST + " to " + latest);
    }
    if (r.date().isAfter(latest)) {
      throw new NotAdmitted("date lies after " + latest + " (tomorrow by the node's clock): expected a date from "
          + EARLIEST + " to " + latest);
    }
  }

  /** A well-formed row the node does not take in; {@link RecordRows} counts it as rejected. */
  static final class NotAdmitted extends RuntimeException {
    NotAdmitted(String reason) {
      super(reason, null, false, false);
    }
  }
}
