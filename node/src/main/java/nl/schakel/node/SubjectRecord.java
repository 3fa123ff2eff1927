package nl.schakel.node;

import java.time.LocalDate;
import java.util.Optional;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * One source record after ingest: the identifier has already been replaced by its keyed pseudonym,
 * so nothing downstream of ingest ever holds a citizen identifier in clear (principle 6).
 */
record SubjectRecord(
    IdentifierForm form, Pseudonym subject, String category, LocalDate date, Optional<AreaCode> area) {}
