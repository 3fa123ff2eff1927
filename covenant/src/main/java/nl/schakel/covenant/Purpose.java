package nl.schakel.covenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A purpose questions may cite (doelbinding), with its legal basis (grondslag).
 *
 * @param id the purpose id questions cite
 * @param title human title
 * @param legalBasis at least one legal basis, in the order the convenant cites them
 * @param caseReference if present, every question must carry a case reference that matches it in
 *     full ({@link java.util.regex.Matcher#matches()}, Java regex syntax)
 */
public record Purpose(
    String id, String title, List<String> legalBasis, Optional<Pattern> caseReference) {

  public Purpose {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    legalBasis = List.copyOf(legalBasis);
    Objects.requireNonNull(caseReference, "caseReference");
  }

  // Pattern has identity equality; two parses of one file must give equal purposes.
  @Override
  public boolean equals(Object other) {
    return other instanceof Purpose p
        && id.equals(p.id)
        && title.equals(p.title)
        && legalBasis.equals(p.legalBasis)
        && patternSource().equals(p.patternSource());
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, title, legalBasis, patternSource());
  }

  private Optional<String> patternSource() {
    return caseReference.map(Pattern::pattern);
  }

  /** Whether questions for this purpose must carry a case reference. */
  public boolean requiresCaseReference() {
    return caseReference.isPresent();
  }
}
