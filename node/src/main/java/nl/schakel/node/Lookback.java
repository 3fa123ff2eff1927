package nl.schakel.node;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.Optional;
import nl.schakel.covenant.Covenant;

/**
 * Which record dates count under a rule's {@code lookback} (COVENANT.md "Counts"): counted in days
 * back from the question's issue day in Europe/Amsterdam. The boundary is inclusive: with P5Y and
 * an issue day of 2026-11-29, a record of 2021-11-29 counts and one of 2021-11-28 does not (a
 * 29 February start falls back to 28 February, as {@link LocalDate#minus} does).
 *
 * <p>Records dated after the issue day count. They are usually registered a day ahead or carry a
 * planned date; dropping them would make a node answer "no hit" about a subject it does hold
 * records on (principle 4), and lookback exists to forget the old, not to hide the new.
 */
record Lookback(Optional<LocalDate> firstDay) {

  /** No lookback: every record counts. */
  static final Lookback NONE = new Lookback(Optional.empty());

  static Lookback of(Optional<Period> period, Instant issuedAt) {
    LocalDate issueDay = Covenant.dayOf(issuedAt);
    return new Lookback(period.map(issueDay::minus));
  }

  boolean includes(LocalDate recordDate) {
    return firstDay.isEmpty() || !recordDate.isBefore(firstDay.get());
  }
}
