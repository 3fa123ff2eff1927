package nl.schakel.covenant;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for misspelt keys and names, by edit distance or a shared prefix. */
final class Suggestions {
  // Beyond this, a name is no typo of a convenant name and the quadratic distance is not worth it.
  private static final int MAX_LENGTH = 80;

  private Suggestions() {}

  /** {@code " (did you mean 'x'?)"} when some candidate is close to {@code input}, else "". */
  static String didYouMean(String input, Collection<String> candidates) {
    return closest(input, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
  }

  /**
   * The candidate nearest to {@code input}: within an edit distance of a third of the longer name
   * (at least 1), or extending or truncating it (e.g. {@code woningcorp} and {@code
   * woningcorporatie}). Ties go to the earliest candidate.
   */
  static Optional<String> closest(String input, Collection<String> candidates) {
    if (input.isEmpty() || input.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate.equals(input) || candidate.length() > MAX_LENGTH) {
        continue;
      }
      int distance = distance(input.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      int allowed = Math.max(1, Math.max(input.length(), candidate.length()) / 3);
      boolean prefix =
          Math.min(input.length(), candidate.length()) >= 3
              && (candidate.startsWith(input) || input.startsWith(candidate));
      if ((distance <= allowed || prefix) && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance with adjacent transpositions (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
