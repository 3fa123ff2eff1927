package nl.schakel.covenant;

import java.util.List;
import java.util.stream.Collectors;

/** A convenant file that cannot be used, with every problem found (not just the first). */
public final class CovenantValidationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ValidationError> errors;

  CovenantValidationException(List<ValidationError> errors) {
    super(describe(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every problem, in file order. */
  public List<ValidationError> errors() {
    return errors;
  }

  private static String describe(List<ValidationError> errors) {
    String header =
        errors.size() == 1 ? "invalid convenant: 1 error" : "invalid convenant: " + errors.size() + " errors";
    return errors.stream()
        .map(ValidationError::toString)
        .collect(Collectors.joining("\n  ", header + "\n  ", ""));
  }
}
