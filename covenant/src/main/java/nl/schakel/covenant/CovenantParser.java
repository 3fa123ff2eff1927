package nl.schakel.covenant;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a {@code schakel/covenant/v1} file into a validated {@link Covenant}. Every problem in the
 * file is reported at once, each with file, line and column. Hostile input (binary junk, deep
 * nesting, alias bombs, huge scalars) ends in a {@link CovenantValidationException}, never in
 * another exception, and quickly.
 */
public final class CovenantParser {
  /** Largest convenant file accepted. The example is about 5 KiB. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  // A convenant nests at most five levels (parties > party > categories > category > subjects).
  private static final int MAX_NESTING = 16;
  // Aliases are refused anyway; the composer's own cap stops alias bombs even earlier.
  private static final int MAX_ALIASES = 10;
  /** Longest line accepted, in UTF-16 code units. */
  static final int MAX_LINE = 2 * NodeReader.MAX_TEXT;

  private CovenantParser() {}

  /**
   * Reads and validates the file; messages name it by its file name.
   *
   * @throws CovenantValidationException if the file cannot be read, is not UTF-8 YAML, or breaks
   *     any rule of the format
   */
  public static Covenant parse(Path file) throws CovenantValidationException {
    String name =
        Optional.ofNullable(file.getFileName()).map(Path::toString).orElse(file.toString());
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw failure(name, "cannot read the file: " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw failure(name, "file is larger than " + MAX_FILE_BYTES + " bytes");
    }
    return parse(decode(bytes, name), name);
  }

  /**
   * Validates YAML text; {@code fileName} is used in messages and kept as {@link
   * Covenant#source()}.
   *
   * @throws CovenantValidationException if it breaks any rule of the format
   */
  public static Covenant parse(String yaml, String fileName) throws CovenantValidationException {
    Problems problems = new Problems(fileName);
    if (yaml.length() > MAX_FILE_BYTES) {
      throw failure(fileName, "file is larger than " + MAX_FILE_BYTES + " characters");
    }
    checkCharacters(yaml, problems);
    if (!problems.isEmpty()) {
      throw new CovenantValidationException(problems.sorted());
    }
    checkLineLengths(yaml, problems);
    if (!problems.isEmpty()) {
      throw new CovenantValidationException(problems.sorted());
    }
    Node root = compose(yaml, problems);
    if (!problems.isEmpty()) {
      throw new CovenantValidationException(problems.sorted());
    }
    if (root == null) {
      throw failure(fileName, "file holds no YAML document");
    }
    Optional<Covenant> covenant = new CovenantReader(problems, fileName).read(root);
    if (!problems.isEmpty()) {
      throw new CovenantValidationException(problems.sorted());
    }
    return covenant.orElseThrow(
        () -> new IllegalStateException("reader gave no convenant and no error for " + fileName));
  }

  /**
   * Refuses characters that make the file read differently to a person than to the parser.
   * SnakeYAML follows YAML 1.1 and breaks lines at U+0085, U+2028 and U+2029 and at a bare CR,
   * while editors, diff and grep show one line: text after such a character inside what looks like
   * a comment would become a key nobody reviewing or signing the file can see. Other control
   * characters have no place in a legal text either.
   */
  private static void checkCharacters(String yaml, Problems problems) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < yaml.length(); i++) {
      char c = yaml.charAt(i);
      if (c == '\n') {
        line++;
        column = 1;
        continue;
      }
      if (c == '\r') {
        if (i + 1 < yaml.length() && yaml.charAt(i + 1) == '\n') {
          continue;
        }
        problems.atLine(line, column, "bare CR line end: use LF or CRLF line ends");
        return;
      }
      boolean control = (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
      if (control || c == '\u2028' || c == '\u2029') {
        problems.atLine(line, column, String.format("character U+%04X is not allowed: %s", (int) c,
            c == '\u2028' || c == '\u2029' || c == '\u0085'
                ? "YAML reads it as a line break while editors show one line, so it can hide text"
                : "control characters have no place in a convenant"));
      }
      column++;
    }
  }

  /**
   * No valid convenant has a line longer than {@link #MAX_LINE} (a scalar holds at most {@link
   * NodeReader#MAX_TEXT} characters), and SnakeYAML is slow on very long unbroken scalars, so such
   * lines are refused before YAML parsing starts.
   */
  private static void checkLineLengths(String yaml, Problems problems) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i <= yaml.length(); i++) {
      if (i == yaml.length() || yaml.charAt(i) == '\n') {
        if (i - lineStart > MAX_LINE) {
          problems.atLine(
              line,
              1,
              "line is " + (i - lineStart) + " characters long; at most " + MAX_LINE + " are allowed");
        }
        line++;
        lineStart = i + 1;
      }
    }
  }

  private static Node compose(String yaml, Problems problems) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_FILE_BYTES);
    options.setAllowRecursiveKeys(false);
    options.setProcessComments(false);
    options.setMergeOnCompose(false);
    try {
      // Only the composer runs: no object construction, so no tag can instantiate anything.
      Composer composer =
          new Composer(
              new ParserImpl(new StreamReader(new StringReader(yaml)), options),
              new Resolver(),
              options);
      return composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
      String context = e.getContext() != null ? e.getContext() + "; " : "";
      problems.at(mark, "", "not valid YAML: " + context + problem);
    } catch (YAMLException e) {
      problems.atFile("not accepted as YAML: " + firstLine(e.getMessage()));
    } catch (RuntimeException e) {
      // SnakeYAML on adversarial input is not guaranteed to fail with YAMLException only.
      problems.atFile("not valid YAML (" + e.getClass().getSimpleName() + ")");
    }
    return null;
  }

  /** Strict UTF-8, so a stray Latin-1 byte is reported at its line instead of turning into U+FFFD. */
  private static String decode(byte[] bytes, String name) throws CovenantValidationException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < offset; i++) {
        // A bare CR ends a line too, as an editor shows it.
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
          line++;
          lineStart = i + 1;
        }
      }
      // Everything before the bad byte decoded fine: count its characters, not its bytes.
      int column = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8).length() + 1;
      throw new CovenantValidationException(
          List.of(
              new ValidationError(
                  name, line, column, "not valid UTF-8 (byte offset " + offset + ")")));
    }
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static CovenantValidationException failure(String file, String message) {
    return new CovenantValidationException(List.of(new ValidationError(file, 0, 0, message)));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown problem";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
