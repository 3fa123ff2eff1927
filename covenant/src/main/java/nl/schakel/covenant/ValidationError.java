package nl.schakel.covenant;

import java.util.Objects;

/**
 * One thing wrong with a convenant file.
 *
 * @param file the file name as given to the parser
 * @param line 1-based line, or 0 when the problem has no place (e.g. the file cannot be read)
 * @param column 1-based column, or 0 with line 0
 * @param message what is wrong, prefixed with where in the model ("rule R4: ...")
 */
public record ValidationError(String file, int line, int column, String message) {

  public ValidationError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code zvo.yaml:41:7 rule R4: responder 'woningcorp' is not a party (...)}. */
  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column + " " + message : file + ": " + message;
  }
}
