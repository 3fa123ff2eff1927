package nl.schakel.node;

import java.time.LocalDate;
import java.util.Optional;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * One source record after ingest: the identifier has already been replaced by its keyed pseudonym,
 * so nothing downstream of ingest ever holds a citizen identifier in clear (principle 6).
 *
 * @param row its row number in the source, for the operator's own tools; 0 when not from a source
 */
record SubjectRecord(
    IdentifierForm form, Pseudonym subject, String category, LocalDate date, Optional<AreaCode> area, long row) {
  SubjectRecord(IdentifierForm form, Pseudonym subject, String category, LocalDate date, Optional<AreaCode> area) {
    this(form, subject, category, date, area, 0);
  }

  /**
   * Equal when they say the same: the row number is where a record was found, not what it says, so
   * two identical rows stay equal mentions (the index tells them apart by ordinal, not by row).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof SubjectRecord r && form == r.form && subject.equals(r.subject) && category.equals(r.category)
        && date.equals(r.date) && area.equals(r.area);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(form, subject, category, date, area);
  }
}
