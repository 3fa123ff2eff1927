package nl.schakel.covenant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Collects validation errors while a file is read, so an author sees all of them at once. Capped:
 * a garbage file must not produce megabytes of messages.
 */
final class Problems {
  static final int MAX_ERRORS = 100;
  private static final int MAX_QUOTED = 60;

  private final String file;
  private final List<ValidationError> errors = new ArrayList<>();
  private int dropped;

  Problems(String file) {
    this.file = file;
  }

  /** Reports {@code message} at {@code node}'s start, prefixed with {@code context} if any. */
  void at(Node node, String context, String message) {
    at(node == null ? null : node.getStartMark(), context, message);
  }

  void at(Mark mark, String context, String message) {
    String text = context.isEmpty() ? message : context + ": " + message;
    if (mark == null) {
      add(new ValidationError(file, 0, 0, text));
    } else {
      add(new ValidationError(file, mark.getLine() + 1, mark.getColumn() + 1, text));
    }
  }

  /** Reports {@code message} at a 1-based line and column. */
  void atLine(int line, int column, String message) {
    add(new ValidationError(file, line, column, message));
  }

  private void add(ValidationError error) {
    if (errors.size() >= MAX_ERRORS) {
      dropped++;
    } else {
      errors.add(error);
    }
  }

  /** Reports a problem with the file as a whole. */
  void atFile(String message) {
    at((Mark) null, "", message);
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** The errors in file order (line, then column), plus a note if some were dropped. */
  List<ValidationError> sorted() {
    List<ValidationError> out = new ArrayList<>(errors);
    out.sort(Comparator.comparingInt(ValidationError::line).thenComparingInt(ValidationError::column));
    if (dropped > 0) {
      out.add(new ValidationError(file, 0, 0, "and " + dropped + " more errors not shown"));
    }
    return out;
  }

  /**
   * A value from the file, quoted for a message: shortened, with control characters made visible,
   * so a hostile or binary file cannot flood or garble the output.
   */
  static String quote(String value) {
    StringBuilder b = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < value.length() && shown < MAX_QUOTED; i++, shown++) {
      char c = value.charAt(i);
      b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
    }
    if (value.length() > MAX_QUOTED) {
      b.append("...");
    }
    return b.append('\'').toString();
  }
}
