package nl.schakel.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.InvalidIdentifierException;

/**
 * The BSNs a benchmark asks about: some read from the nodes' own records (hits), the rest drawn
 * at random with a valid elfproef (almost surely known nowhere). Synthetic numbers only; they are
 * kept in memory and never printed.
 */
public final class Subjects {
  private Subjects() {}

  /**
   * @param csvs node CSV files ({@code subject_type,identifier,...})
   * @param count how many BSNs to return
   * @param hitFraction the share taken from the files
   * @param seed same seed and files, same list
   */
  public static List<String> sample(Collection<Path> csvs, int count, double hitFraction, long seed) throws IOException {
    Random random = new Random(seed);
    int hits = (int) Math.round(count * hitFraction);
    int perFile = csvs.isEmpty() ? 0 : (hits + csvs.size() - 1) / csvs.size();
    Set<String> known = new LinkedHashSet<>();
    for (Path csv : csvs) {
      known.addAll(personIdentifiers(csv, perFile, random));
    }
    List<String> out = new ArrayList<>(known);
    Collections.shuffle(out, random);
    out = new ArrayList<>(out.subList(0, Math.min(hits, out.size())));
    while (out.size() < count) {
      String candidate = String.format("%09d", random.nextInt(1_000_000_000));
      try {
        Bsn.parse(candidate);
        out.add(candidate);
      } catch (InvalidIdentifierException e) {
        // fails the elfproef: draw again (about 10 of 11 do)
      }
    }
    Collections.shuffle(out, random);
    return List.copyOf(out);
  }

  /** Up to {@code max} person identifiers, sampled from the whole file so later rows count too. */
  private static List<String> personIdentifiers(Path csv, int max, Random random) throws IOException {
    List<String> reservoir = new ArrayList<>(max);
    long seen = 0;
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      in.readLine();
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.startsWith("person,")) {
          continue;
        }
        String id = line.substring(7, line.indexOf(',', 7));
        seen++;
        if (reservoir.size() < max) {
          reservoir.add(id);
        } else {
          long j = (long) (random.nextDouble() * seen);
          if (j < max) {
            reservoir.set((int) j, id);
          }
        }
      }
    }
    return reservoir;
  }
}
