package nl.schakel.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import nl.schakel.trust.identifier.IdentifierForm;

/**
 * The identifier forms a node declares in {@code node.yaml} ({@code identifier-forms: [bsn,
 * postal-address, cbs-area-code]}): it answers for exactly these, whatever its records happen to
 * hold. A question in another form is refused {@code identifier-form-unsupported}, never answered
 * no-hit (principle 4), and a source row of another form is rejected, so the declaration and the
 * index cannot disagree. Without a declaration the forms are derived from the records
 * (docs/decisions.md D3).
 *
 * @param subjects the subject forms, by {@link IdentifierForm#domain()} name in node.yaml
 * @param areas whether {@code cbs-area-code} is declared: area questions are answered
 */
public record DeclaredForms(Set<IdentifierForm> subjects, boolean areas) {
  /** The node.yaml name of area questions, as CBS codes are not an {@link IdentifierForm}. */
  public static final String AREA = "cbs-area-code";

  public DeclaredForms {
    subjects = Collections.unmodifiableSet(subjects.isEmpty() ? EnumSet.noneOf(IdentifierForm.class)
        : EnumSet.copyOf(subjects));
    if (subjects.isEmpty() && !areas) {
      throw new IllegalArgumentException("identifier-forms must name at least one of " + names()
          + ", found none; leave it out to derive the forms from the records");
    }
  }

  /** Parses node.yaml's list; an unknown or repeated name is an error naming the known ones. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static DeclaredForms parse(List<String> names) {
    Objects.requireNonNull(names, "identifier-forms");
    Set<IdentifierForm> forms = EnumSet.noneOf(IdentifierForm.class);
    boolean areas = false;
    for (String raw : names) {
      String name = String.valueOf(raw).strip().toLowerCase(Locale.ROOT);
      boolean fresh;
      if (name.equals(AREA)) {
        fresh = !areas;
        areas = true;
      } else {
        IdentifierForm form = IdentifierForm.fromDomain(name).orElseThrow(() -> new IllegalArgumentException(
            "identifier-forms: unknown form '" + raw + "', expected one of " + names()));
        fresh = forms.add(form);
      }
      if (!fresh) {
        throw new IllegalArgumentException("identifier-forms names " + name + " twice");
      }
    }
    return new DeclaredForms(forms, areas);
  }

  /** Whether subjects of {@code form} may be asked about and ingested. */
  public boolean declares(IdentifierForm form) {
    return subjects.contains(form);
  }

  /** The node.yaml names, in a fixed order. */
  public List<String> toNames() {
    List<String> out = new ArrayList<>(subjects.stream().map(IdentifierForm::domain).toList());
    if (areas) {
      out.add(AREA);
    }
    return out;
  }

  static String names() {
    List<String> all = new ArrayList<>();
    for (IdentifierForm f : IdentifierForm.values()) {
      all.add(f.domain());
    }
    all.add(AREA);
    return String.join(", ", all);
  }
}
