package nl.schakel.gateway;

import java.util.List;

/** A request that failed validation, with every field that is wrong. */
final class InvalidRequestException extends Exception {
  private final List<FieldError> errors;

  InvalidRequestException(List<FieldError> errors) {
    super(errors.size() + " invalid field(s)", null, false, false);
    this.errors = List.copyOf(errors);
  }

  List<FieldError> errors() {
    return errors;
  }
}
