package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code src/test/resources/broken/} is the small valid convenant {@code
 * broken-base.yaml} with one defect, and says in its own header which error the parser must
 * report and where (format: that folder's README). The parser must report exactly that, at that
 * line, and nothing else: a second error would mean the file is broken for another reason too
 * and no longer tests what its name says.
 */
class BrokenCorpusTest {
  /** The corpus only grows: a smaller one means cases were lost. */
  private static final int MIN_CORPUS = 45;

  private static final Pattern FILE_NAME = Pattern.compile("([0-9]{2,3})-[a-z0-9]+(?:-[a-z0-9]+)*\\.yaml");
  private static final Pattern EXPECT = Pattern.compile("# expect: ([0-9]+)(?::([0-9]+))? (.+)");
  private static final Pattern EXPECT_COUNT = Pattern.compile("# expect-count: ([0-9]+)");

  /** One error the header announces: at a line (and column, if given), containing a text. */
  record Expected(int line, OptionalInt column, String text) {
    boolean matches(ValidationError error) {
      return error.line() == line
          && (column.isEmpty() || error.column() == column.getAsInt())
          && error.message().contains(text);
    }

    @Override
    public String toString() {
      return line + (column.isPresent() ? ":" + column.getAsInt() : "") + " ..." + text + "...";
    }
  }

  /** What a corpus file's leading comment lines promise. */
  record Header(List<Expected> errors, int count) {
    static Header of(Path file) {
      List<Expected> errors = new ArrayList<>();
      OptionalInt count = OptionalInt.empty();
      // CR-only and CRLF files are split like LF ones; the header itself is ASCII.
      for (String line : read(file).split("\r\n|\r|\n", -1)) {
        if (!line.startsWith("#")) {
          break;
        }
        Matcher e = EXPECT.matcher(line);
        Matcher c = EXPECT_COUNT.matcher(line);
        if (e.matches()) {
          OptionalInt column =
              e.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(e.group(2)));
          errors.add(new Expected(Integer.parseInt(e.group(1)), column, e.group(3)));
        } else if (c.matches()) {
          count = OptionalInt.of(Integer.parseInt(c.group(1)));
        } else if (line.startsWith("# expect")) {
          throw new AssertionError(file.getFileName() + ": unreadable header line: " + line);
        }
      }
      assertThat(errors).as("%s: header has an '# expect: LINE[:COLUMN] TEXT' line", file.getFileName()).isNotEmpty();
      return new Header(errors, count.orElse(errors.size()));
    }
  }

  static Stream<Named<Path>> corpus() {
    return corpusFiles().stream().map(p -> Named.of(p.getFileName().toString(), p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void reportsTheOneDefectItsHeaderNames(Path file) {
    Header header = Header.of(file);
    String name = file.getFileName().toString();

    CovenantValidationException rejected =
        catchThrowableOfType(CovenantValidationException.class, () -> CovenantParser.parse(file));

    assertThat(rejected).as("%s is rejected", name).isNotNull();
    List<ValidationError> errors = rejected.errors();
    for (Expected expected : header.errors()) {
      assertThat(errors).as("%s: an error at %s", name, expected).anyMatch(expected::matches);
    }
    assertThat(errors)
        .as("%s: exactly %d error(s), so the file is broken for the intended reason only", name, header.count())
        .hasSize(header.count());
    assertThat(errors).extracting(ValidationError::file).as("errors name the file").containsOnly(name);
  }

  @Test
  void corpusHoldsAtLeast45Files() {
    assertThat(corpusFiles()).hasSizeGreaterThanOrEqualTo(MIN_CORPUS);
  }

  @Test
  void everyCorpusFileIsNamedByNumberAndDefectWithNoNumberTwice() throws IOException {
    List<String> names;
    try (Stream<Path> files = Files.list(directory("broken"))) {
      names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).toList();
    }
    // A file named .yml or without its number would be silently left out of the corpus.
    assertThat(names).allMatch(n -> FILE_NAME.matcher(n).matches(), "named NN-short-name.yaml");
    assertThat(names.stream().map(n -> n.substring(0, n.indexOf('-')))).doesNotHaveDuplicates();
  }

  @Test
  void theBaseEveryBrokenFileStartsFromIsValid() throws CovenantValidationException {
    Covenant base = CovenantParser.parse(directory("broken").resolveSibling("broken-base.yaml"));

    // So each rule of the format has something to break: asker-only and secrecy parties, both
    // disclosure forms' home (a count rule about areas), a limit and a refusal.
    assertThat(base.parties()).containsKeys("zvh", "politie", "belastingdienst", "ggz");
    assertThat(base.rules()).extracting(Rule::subject).containsExactly(SubjectType.PERSON, SubjectType.AREA);
    assertThat(base.limits()).hasSize(1);
    assertThat(base.refusals()).hasSize(1);
  }

  private static List<Path> corpusFiles() {
    try (Stream<Path> files = Files.list(directory("broken"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path directory(String name) {
    URL url = BrokenCorpusTest.class.getResource("/" + name);
    assertThat(url).as("test resource folder %s", name).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
