package nl.schakel.covenant;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code .sigs} file that cannot be used, with every problem found, each with its line and
 * column. A signature file is read strictly: a line that is not understood could be a signature
 * someone relies on.
 */
public final class CovenantSignaturesException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ValidationError> errors;

  CovenantSignaturesException(List<ValidationError> errors) {
    super(describe(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a failure needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every problem, in file order. */
  public List<ValidationError> errors() {
    return errors;
  }

  private static String describe(List<ValidationError> errors) {
    String header =
        "invalid signature file: " + errors.size() + (errors.size() == 1 ? " error" : " errors");
    return errors.stream()
        .map(ValidationError::toString)
        .collect(Collectors.joining("\n  ", header + "\n  ", ""));
  }
}
