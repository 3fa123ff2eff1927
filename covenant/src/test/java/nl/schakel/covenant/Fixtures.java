package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The COVENANT.md example and small, exact edits of it. */
final class Fixtures {
  static final String ZVO_FILE = "zvo-midden.v3.yaml";

  private Fixtures() {}

  static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String zvo() {
    return resource(ZVO_FILE);
  }

  static Covenant zvoCovenant() {
    try {
      return CovenantParser.parse(zvo(), ZVO_FILE);
    } catch (CovenantValidationException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** {@code yaml} with the one occurrence of {@code from} replaced; fails if not exactly one. */
  static String edit(String yaml, String from, String to) {
    int at = yaml.indexOf(from);
    assertThat(at).as("fixture contains %s", from).isGreaterThanOrEqualTo(0);
    assertThat(yaml.indexOf(from, at + 1)).as("fixture contains %s only once", from).isEqualTo(-1);
    return yaml.substring(0, at) + to + yaml.substring(at + from.length());
  }

  /** The fixture with one edit. */
  static String zvoWith(String from, String to) {
    return edit(zvo(), from, to);
  }

  static Covenant parse(String yaml) {
    try {
      return CovenantParser.parse(yaml, ZVO_FILE);
    } catch (CovenantValidationException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** The errors the parser reports for {@code yaml}, as their toString forms. */
  static List<String> errors(String yaml) {
    CovenantValidationException e =
        catchThrowableOfType(
            CovenantValidationException.class, () -> CovenantParser.parse(yaml, ZVO_FILE));
    assertThat(e).as("parser rejects the file").isNotNull();
    return e.errors().stream().map(ValidationError::toString).toList();
  }
}
