package nl.schakel.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Variants of the demo convenant for tests; a node given one holds it signed by every party ({@link PartySigners}). */
final class TestCovenants {
  private TestCovenants() {}

  /**
   * The demo convenant with its {@code limits:} section replaced by {@code limits} (YAML starting
   * with {@code limits:}, or empty for none), written to {@code dir/<name>/zvo-midden.v3.yaml}.
   */
  static Path demoWithLimits(Path dir, String name, String limits) throws IOException {
    Path file = Files.createDirectories(dir.resolve(name)).resolve("zvo-midden.v3.yaml");
    String demo = Files.readString(TestNode.DEMO);
    String section = demo.substring(demo.indexOf("limits:\n"), demo.indexOf("\nrefusals:") + 1);
    Files.writeString(file, demo.replace(section, limits));
    return file;
  }

  /**
   * The demo convenant without budgets: for tests that ask more questions than an analyst or party
   * may (load, concurrency), whose subject is not the budgets.
   */
  static Path demoWithoutLimits(Path dir) throws IOException {
    return demoWithLimits(dir, "no-limits", "");
  }
}
