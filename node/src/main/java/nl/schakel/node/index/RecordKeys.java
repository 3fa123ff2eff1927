package nl.schakel.node.index;

import java.time.LocalDate;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * Derives each record's 32-bit key for cell-key perturbation of counts. The index calls it once
 * per record while building, after sorting, so {@code ordinal} numbers otherwise identical records
 * (0, 1, ...) independently of the order the source delivered them. The node's implementation is
 * a keyed HMAC under a secret the index never sees.
 */
@FunctionalInterface
public interface RecordKeys {
  /**
   * @param subject the record's full pseudonym (the index itself keeps only a prefix)
   * @param area the CBS code the record names, or "" when it names none
   * @param ordinal 0 for the first of otherwise identical records, 1 for the next, and so on
   */
  int key(IdentifierForm form, Pseudonym subject, String category, LocalDate date, String area, int ordinal);
}
