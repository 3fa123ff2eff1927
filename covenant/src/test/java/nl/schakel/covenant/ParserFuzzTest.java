package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken files: whatever the input, the parser either returns a convenant or throws
 * {@link CovenantValidationException} with at least one located message — never another
 * exception, and never slowly.
 */
class ParserFuzzTest {
  private static final int ITERATIONS = 2500;
  private static final String FIXTURE = Fixtures.zvo();
  private static final String[] LINES = FIXTURE.split("\n", -1);
  private static final String[] FRAGMENTS = {
    ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!tag ", "? ", "|", ">", "'", "\"", "#",
    "---", "...", "%YAML 1.1", "<<: ", "\t", "\\u0000", "~", "null", "- [", "{a: ", "    ", "\r",
    "\u00e9", "\ud83d\ude00", "\ud800", "\u0001", "\uFEFF", "P", "1e9", "-1", "0x10"
  };

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void mutatedFixturesOnlyEverFailWithValidationErrors() {
    Random random = new Random(20260101L);
    int accepted = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      String yaml = mutate(random);
      if (parsesOrFailsCleanly(yaml, "iteration " + i)) {
        accepted++;
      }
    }
    // Some mutations (a duplicated comment, a swapped pair of parties) keep the file valid.
    assertThat(accepted).isPositive().isLessThan(ITERATIONS);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void everyValueReplacedByEveryShapeParsesOrFailsCleanly() {
    String[] shapes = {"~", "[]", "{}", "[a]", "{a: b}", "''", "0", "-1", "x", "[[a]]", "any"};
    for (int i = 0; i < LINES.length; i++) {
      int colon = LINES[i].indexOf(": ");
      if (colon < 0) {
        continue;
      }
      for (String shape : shapes) {
        String[] lines = LINES.clone();
        lines[i] = LINES[i].substring(0, colon + 2) + shape;
        parsesOrFailsCleanly(String.join("\n", lines), "line " + (i + 1) + " as " + shape);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void randomTextOnlyEverFailsWithValidationErrors() {
    Random random = new Random(42L);
    for (int i = 0; i < 500; i++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(300);
      for (int j = 0; j < length; j++) {
        b.append(random.nextBoolean() ? FRAGMENTS[random.nextInt(FRAGMENTS.length)] : (char) random.nextInt(0x3000));
      }
      parsesOrFailsCleanly(b.toString(), "random " + i);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void randomBytesFromDiskAreRejected(@TempDir Path dir) throws Exception {
    Random random = new Random(7L);
    for (int i = 0; i < 100; i++) {
      byte[] bytes = FIXTURE.getBytes(StandardCharsets.UTF_8);
      for (int j = 0; j < 1 + random.nextInt(5); j++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      Path file = dir.resolve("fuzz-" + i + ".yaml");
      Files.write(file, bytes);
      try {
        CovenantParser.parse(file);
      } catch (CovenantValidationException e) {
        assertThat(e.errors()).isNotEmpty();
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void billionLaughsIsRejectedQuickly() {
    StringBuilder b = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
      String prev = "*a" + (i - 1);
      b.append("a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(",", java.util.Collections.nCopies(9, prev))).append("]\n");
    }
    b.append("parties: *a9\n");
    assertThatThrownBy(() -> CovenantParser.parse(b.toString(), "lol.yaml"))
        .isInstanceOf(CovenantValidationException.class);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void aliasesOfScalarsAreRefusedWithTheirPlace() {
    String yaml = Fixtures.zvoWith("title: Convenant", "title: &t Convenant");
    assertThat(Fixtures.errors(yaml))
        .containsExactly(
            "zvo-midden.v3.yaml:4:8 'title': anchors and aliases (&, *) are not allowed; write every value out");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void deepNestingIsRejected() {
    String deep = "parties: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
    assertThatThrownBy(() -> CovenantParser.parse(deep, "deep.yaml"))
        .isInstanceOf(CovenantValidationException.class);
    String deepBlock = "parties:\n" + buildBlockNesting(200);
    assertThatThrownBy(() -> CovenantParser.parse(deepBlock, "deep.yaml"))
        .isInstanceOf(CovenantValidationException.class);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: the machine is shared
  void hugeScalarsAreRejectedWithoutEchoingThem() {
    String huge = "x".repeat(500_000);
    List<String> errors =
        Fixtures.errors(Fixtures.zvoWith("title: Convenant", "title: " + huge + " Convenant"));
    assertThat(errors)
        .singleElement()
        .asString()
        .startsWith("zvo-midden.v3.yaml:4:1 line is 5000")
        .hasSizeLessThan(200);
    String folded = "title: >\n" + ("  " + "x".repeat(100) + "\n").repeat(50);
    assertThat(
            Fixtures.errors(
                Fixtures.zvoWith(
                    "title: Convenant Zorg, Veiligheid en Ondermijning regio Midden\n", folded)))
        .singleElement()
        .asString()
        .contains("'title' is 5050 characters long; at most 4096 are allowed");
    assertThatThrownBy(() -> CovenantParser.parse("title: " + "y".repeat(CovenantParser.MAX_FILE_BYTES), "big.yaml"))
        .isInstanceOf(CovenantValidationException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void errorCountIsCappedForGarbage() {
    StringBuilder b = new StringBuilder(Fixtures.zvo());
    for (int i = 0; i < 500; i++) {
      b.append("junk").append(i).append(": 1\n");
    }
    List<String> errors = Fixtures.errors(b.toString());
    assertThat(errors).hasSize(Problems.MAX_ERRORS + 1);
    assertThat(errors.get(errors.size() - 1)).endsWith("and 400 more errors not shown");
  }

  private static String buildBlockNesting(int depth) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      b.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
    }
    return b.toString();
  }

  private static boolean parsesOrFailsCleanly(String yaml, String what) {
    try {
      CovenantParser.parse(yaml, "fuzz.yaml");
      return true;
    } catch (CovenantValidationException e) {
      assertThat(e.errors()).as(what).isNotEmpty();
      assertThat(e.errors()).as(what).allSatisfy(err -> assertThat(err.message()).isNotBlank());
      return false;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(what + " threw " + e + " for:\n" + yaml, e);
    }
  }

  private static String mutate(Random random) {
    List<String> lines = new ArrayList<>(Arrays.asList(LINES));
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && !lines.isEmpty(); e++) {
      int i = random.nextInt(lines.size());
      switch (random.nextInt(9)) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, lines.get(i));
        case 2 -> {
          int j = random.nextInt(lines.size());
          String t = lines.get(i);
          lines.set(i, lines.get(j));
          lines.set(j, t);
        }
        case 3 -> lines.set(i, insert(lines.get(i), FRAGMENTS[random.nextInt(FRAGMENTS.length)], random));
        case 4 -> lines.set(i, insert(lines.get(i), randomChars(random, 1 + random.nextInt(8)), random));
        case 5 -> lines.set(i, lines.get(i).substring(0, random.nextInt(lines.get(i).length() + 1)));
        case 6 -> lines.set(i, "  " + lines.get(i));
        case 7 -> lines.set(i, lines.get(i).replaceFirst("^ {1,2}", ""));
        default -> lines.set(i, insert(lines.get(i), "x".repeat(random.nextInt(CovenantParser.MAX_LINE + 100)), random));
      }
    }
    return String.join("\n", lines);
  }

  private static String insert(String line, String fragment, Random random) {
    int at = random.nextInt(line.length() + 1);
    return line.substring(0, at) + fragment + line.substring(at);
  }

  private static String randomChars(Random random, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) random.nextInt(0x10000));
    }
    return b.toString();
  }
}
