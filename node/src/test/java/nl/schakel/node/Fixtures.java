package nl.schakel.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import nl.schakel.trust.identifier.Bsn;

/**
 * Small convenants written next to a test, for what the demo convenant cannot show: versions,
 * and a party with two categories about areas (for differencing).
 */
final class Fixtures {
  private Fixtures() {}

  /**
   * Convenant {@code id} version {@code version}: the RIEC analyst may ask the police about a
   * person (rule P1, hit-per-party) and count a buurt (rule A1) under {@code disclosure}.
   */
  static Path covenant(Path dir, String id, int version, String from, String until, String disclosure)
      throws IOException {
    Path file = dir.resolve(id + ".v" + version + ".yaml");
    Files.writeString(file, """
        format: schakel/covenant/v1
        id: %s
        version: %d
        title: Testconvenant ondermijning
        valid: {from: %s, until: %s}
        parties:
          riec:
            name: RIEC Midden-Nederland
            roles: [analist]
          politie:
            name: Politie eenheid Midden-Nederland
            categories:
              signaal.ondermijning: {subjects: [person, area], special: criminal}
              incident.drugs: {subjects: [area], special: criminal}
        purposes:
          ondermijning:
            title: Geintegreerde aanpak ondermijning
            legal-basis: [WGS hoofdstuk RIEC]
        rules:
          - id: P1
            purpose: ondermijning
            askers: [riec.analist]
            responders: [politie]
            subject: person
            answer: hit-per-party
          - id: A1
            purpose: ondermijning
            askers: [riec.analist]
            responders: [politie]
            subject: area
            area-level: buurt
            answer: count
            disclosure: %s
        """.formatted(id, version, from, until, disclosure));
    return file;
  }

  /** {@code n} distinct valid BSNs (nine digits passing the elfproef), the same for the same seed. */
  static List<Bsn> bsns(int n, long seed) {
    Random random = new Random(seed);
    Set<Bsn> out = new LinkedHashSet<>();
    while (out.size() < n) {
      int[] d = new int[9];
      int sum = 0;
      for (int i = 0; i < 8; i++) {
        d[i] = i == 0 ? 1 + random.nextInt(9) : random.nextInt(10);
        sum += (9 - i) * d[i];
      }
      d[8] = sum % 11; // elfproef: 9d1 + ... + 2d8 - d9 is a multiple of 11
      if (d[8] == 10) {
        continue;
      }
      StringBuilder digits = new StringBuilder();
      for (int digit : d) {
        digits.append(digit);
      }
      out.add(Bsn.parse(digits.toString()));
    }
    return List.copyOf(out);
  }

  /** {@link #covenant} valid through 2026 and 2027 with {@code min: 5, round: 5}. */
  static Path covenant(Path dir, String id, int version) throws IOException {
    return covenant(dir, id, version, "2026-01-01", "2027-12-31", "{min: 5, round: 5}");
  }
}
