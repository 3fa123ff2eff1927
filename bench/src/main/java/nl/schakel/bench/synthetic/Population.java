package nl.schakel.bench.synthetic;

/**
 * The synthetic population of one seed, computed on demand from an index so that nothing is held
 * in memory: person {@code u} has one BSN, one home buurt (or none), and so on, and different
 * indices never share an identifier.
 *
 * <p>Index spaces and the identifiers they map to:
 * <ul>
 *   <li>persons {@code [0, 8 999 100)}: BSNs {@code 9ddddddcc} with a valid elfproef and the first
 *       six free digits below {@code 999900}, so {@code 99999xxxx} stays free for anchors and
 *       hand-written tests. Each of the 999 900 prefixes has exactly 9 valid last-two-digit
 *       combinations (one choice of the 8th digit makes the check digit 10).</li>
 *   <li>addresses {@code [0, 10 000 000)}: 60% a BAG nummeraanduiding {@code 034420} + sequence
 *       from 200000 up (lower sequences are the anchors'), 40% a postal address in an Utrecht
 *       postcode 3500-3585 other than {@code 3511AB}.</li>
 *   <li>organisations {@code [0, 10 000 000)}: KvK numbers {@code 3xxxxxxx}, the old Utrecht
 *       chamber range; the anchors' KvK numbers lie outside it.</li>
 * </ul>
 * An index is scattered over its identifier space by a seed-dependent affine permutation, so
 * consecutive indices do not give consecutive identifiers and each seed has its own population.
 */
final class Population {
  static final int PERSON_SPACE = 999_900 * 9;
  static final int ADDRESS_SPACE = 10_000_000;
  static final int ORGANISATION_SPACE = 10_000_000;
  static final int NO_BUURT = -1;

  static final long FIRST_POPULATION_BAG_SEQUENCE = 200_000;
  static final String BAG_PREFIX = "0344" + "20"; // Utrecht, nummeraanduiding

  private static final int BSN_PREFIX_DIGITS = 6;
  private static final int FIRST_POSTCODE_NUMBER = 3500;
  private static final int POSTCODE_NUMBERS = 86; // 3500..3585
  // PostNL leaves F, I, O, Q, U and Y out of postcodes, and never issues SA, SD or SS.
  private static final String POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ";
  private static final int LETTER_PAIRS = POSTCODE_LETTERS.length() * POSTCODE_LETTERS.length();
  private static final int EXCLUDED_PAIRS = 3;
  private static final int PAIRS_IN_USE = LETTER_PAIRS - EXCLUDED_PAIRS;
  // Ascending, so that appendLetterPair can skip them in one pass. Declared before ANCHOR_POSTCODE,
  // whose initialiser reads it.
  private static final int[] EXCLUDED_RAW = {raw("SA"), raw("SD"), raw("SS")};
  private static final String[] ADDITIONS = {"1", "2", "3", "4", "H", "BIS"};
  // 3511AB belongs to the anchor POSTAL_LEASE_ONLY; leaving out the whole postcode keeps every
  // house number there free.
  private static final int ANCHOR_POSTCODE = postcodeOrdinal(3511, "AB");
  private static final int POSTCODES = POSTCODE_NUMBERS * PAIRS_IN_USE - 1;

  private static final double PERSONS_WITHOUT_BUURT = 0.05;
  private static final double ADDRESSES_WITHOUT_BUURT = 0.02;
  private static final double ORGANISATIONS_WITHOUT_BUURT = 0.08;
  private static final double BAG_SHARE = 0.60;

  private final long key;
  private final AffinePermutation persons;
  private final AffinePermutation addresses;
  private final AffinePermutation organisations;

  Population(long seed) {
    this.key = Draws.key(seed, 0x706f70756c617469L);
    this.persons = AffinePermutation.create(PERSON_SPACE, Draws.key(key, 1));
    this.addresses = AffinePermutation.create(ADDRESS_SPACE, Draws.key(key, 2));
    this.organisations = AffinePermutation.create(ORGANISATION_SPACE, Draws.key(key, 3));
  }

  static int space(SubjectType type) {
    return switch (type) {
      case PERSON -> PERSON_SPACE;
      case ADDRESS -> ADDRESS_SPACE;
      case ORGANISATION -> ORGANISATION_SPACE;
    };
  }

  /** Appends the identifier of subject {@code index} of {@code type} in its CSV form. */
  void appendIdentifier(SubjectType type, int index, StringBuilder out) {
    switch (type) {
      case PERSON -> appendBsn(persons.apply(index), out);
      case ADDRESS -> appendAddress(addresses.apply(index), out);
      case ORGANISATION -> appendKvk(organisations.apply(index), out);
    }
  }

  String identifier(SubjectType type, int index) {
    var out = new StringBuilder(16);
    appendIdentifier(type, index, out);
    return out.toString();
  }

  /** The index into {@link Buurten#CODES} where the subject lives or is seated, or {@link #NO_BUURT}. */
  int buurt(SubjectType type, int index) {
    return switch (type) {
      case PERSON -> hashedBuurt(1, index, PERSONS_WITHOUT_BUURT);
      case ORGANISATION -> hashedBuurt(3, index, ORGANISATIONS_WITHOUT_BUURT);
      case ADDRESS -> addressBuurt(addresses.apply(index));
    };
  }

  private int hashedBuurt(long salt, int index, double withoutShare) {
    long h = Draws.key(key, 100 + salt, index);
    if ((h >>> 11) * 0x1.0p-53 < withoutShare) {
      return NO_BUURT;
    }
    return (int) Long.remainderUnsigned(Draws.mix(h), Buurten.count());
  }

  private int addressBuurt(int ordinal) {
    long h = Draws.key(key, 102, ordinal);
    if ((h >>> 11) * 0x1.0p-53 < ADDRESSES_WITHOUT_BUURT) {
      return NO_BUURT;
    }
    if (isBag(ordinal)) {
      return (int) Long.remainderUnsigned(Draws.mix(h), Buurten.count());
    }
    // A postcode lies in one wijk, so neighbours share one; 3509-3517 (the city centre) is wijk 01.
    int postcode = postcodeFor(ordinal);
    int number = FIRST_POSTCODE_NUMBER + postcode / PAIRS_IN_USE;
    int wijk = Math.floorMod(number - 3509, POSTCODE_NUMBERS) * Buurten.WIJKEN / POSTCODE_NUMBERS;
    int buurtInWijk = (int) Long.remainderUnsigned(Draws.key(key, 103, postcode), Buurten.PER_WIJK);
    return wijk * Buurten.PER_WIJK + buurtInWijk;
  }

  private boolean isBag(int ordinal) {
    return (Draws.key(key, 104, ordinal) >>> 11) * 0x1.0p-53 < BAG_SHARE;
  }

  private static void appendBsn(int ordinal, StringBuilder out) {
    int prefix = ordinal / 9;
    int wanted = ordinal % 9;
    // Elfproef: 9*d1 + 8*d2 + ... + 2*d8 - d9 must be divisible by 11; d1 is 9.
    int[] digits = new int[BSN_PREFIX_DIGITS];
    int rest = prefix;
    for (int i = BSN_PREFIX_DIGITS - 1; i >= 0; i--) {
      digits[i] = rest % 10;
      rest /= 10;
    }
    int sum = 9 * 9;
    for (int i = 0; i < BSN_PREFIX_DIGITS; i++) {
      sum += (8 - i) * digits[i];
    }
    int d8 = -1;
    int d9 = -1;
    for (int candidate = 0, valid = 0; candidate <= 9; candidate++) {
      int check = (sum + 2 * candidate) % 11;
      if (check == 10) {
        continue;
      }
      if (valid++ == wanted) {
        d8 = candidate;
        d9 = check;
        break;
      }
    }
    out.append('9');
    for (int d : digits) {
      out.append((char) ('0' + d));
    }
    out.append((char) ('0' + d8)).append((char) ('0' + d9));
  }

  private void appendAddress(int ordinal, StringBuilder out) {
    if (isBag(ordinal)) {
      out.append(BAG_PREFIX);
      appendPadded(FIRST_POPULATION_BAG_SEQUENCE + ordinal, 10, out);
      return;
    }
    int postcode = postcodeFor(ordinal);
    int houseNumber = ordinal / POSTCODES + 1;
    int pair = postcode % PAIRS_IN_USE;
    out.append(FIRST_POSTCODE_NUMBER + postcode / PAIRS_IN_USE);
    appendLetterPair(pair, out);
    out.append(' ').append(houseNumber);
    // Letters and additions belong to the (postcode, number), so every party spells it alike.
    int kind = (int) Long.remainderUnsigned(Draws.key(key, 105, ordinal), 100);
    if (kind >= 78 && kind < 90) {
      out.append("ABCD".charAt(kind % 4));
    } else if (kind >= 90 && kind < 99) {
      out.append('-').append(ADDITIONS[kind % ADDITIONS.length]);
    } else if (kind == 99) {
      out.append("A-1");
    }
  }

  private static int postcodeFor(int ordinal) {
    int postcode = ordinal % POSTCODES;
    return postcode >= ANCHOR_POSTCODE ? postcode + 1 : postcode;
  }

  private static int postcodeOrdinal(int number, String letters) {
    int first = POSTCODE_LETTERS.indexOf(letters.charAt(0));
    int second = POSTCODE_LETTERS.indexOf(letters.charAt(1));
    return (number - FIRST_POSTCODE_NUMBER) * PAIRS_IN_USE
        + pairOrdinal(first * POSTCODE_LETTERS.length() + second);
  }

  /** Maps a raw letter pair to its ordinal among the pairs in use, skipping SA, SD and SS. */
  private static int pairOrdinal(int raw) {
    int ordinal = raw;
    for (int excluded : EXCLUDED_RAW) {
      if (raw > excluded) {
        ordinal--;
      }
    }
    return ordinal;
  }

  private static void appendLetterPair(int pairOrdinal, StringBuilder out) {
    int raw = pairOrdinal;
    for (int excluded : EXCLUDED_RAW) {
      if (raw >= excluded) {
        raw++;
      }
    }
    int n = POSTCODE_LETTERS.length();
    out.append(POSTCODE_LETTERS.charAt(raw / n)).append(POSTCODE_LETTERS.charAt(raw % n));
  }

  private static int raw(String pair) {
    return POSTCODE_LETTERS.indexOf(pair.charAt(0)) * POSTCODE_LETTERS.length()
        + POSTCODE_LETTERS.indexOf(pair.charAt(1));
  }

  private static void appendKvk(int ordinal, StringBuilder out) {
    out.append('3');
    appendPadded(ordinal, 7, out);
  }

  private static void appendPadded(long value, int width, StringBuilder out) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    out.append(digits);
  }

  /**
   * {@code u -> (a*u + b) mod n} with {@code gcd(a, n) = 1}: a bijection on {@code [0, n)}, cheap
   * and seedable. Its regularity does not show because indices are drawn at random.
   */
  record AffinePermutation(int n, long a, long b) {
    static AffinePermutation create(int n, long key) {
      long a = 1 + Long.remainderUnsigned(key, n - 1);
      while (gcd(a, n) != 1) {
        a++;
      }
      long b = Long.remainderUnsigned(Draws.mix(key), n);
      return new AffinePermutation(n, a, b);
    }

    int apply(int u) {
      return (int) ((a * u + b) % n);
    }

    private static long gcd(long x, long y) {
      while (y != 0) {
        long t = x % y;
        x = y;
        y = t;
      }
      return x;
    }
  }
}
