package nl.schakel.bench.index;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.schakel.bench.synthetic.CategorySpec;
import nl.schakel.bench.synthetic.PartyProfile;
import nl.schakel.bench.synthetic.SubjectType;
import nl.schakel.bench.synthetic.SyntheticFederation;
import nl.schakel.node.index.IndexBuilder;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * Seeded records straight into an index builder, already pseudonymised, with the shape of the
 * synthetic federation's data but for one node holding every demo category (14 of them, with the
 * demo weights; person → BSN, address → BAG id, organisation → KvK):
 *
 * <ul>
 *   <li>subjects drawn uniformly from a pool of {@code records / 1.6} per identifier form, so a
 *       subject has about 1.6 records (Poisson) at every size, as the federation's files do at
 *       demo sizes: a subject's record count, hence its lookup cost, does not grow with the node;
 *   <li>pseudonyms are 32 uniform bytes per (form, subject), as keyed HMAC output is;
 *   <li>dates uniform over the six years up to the reference day;
 *   <li>each subject lives in one of 1 000 buurten (25 gemeenten of 10 wijken of 4 buurten), 5%
 *       in none, so area cells are sparse at buurt level and dense at gemeente level.
 * </ul>
 *
 * Record {@code r} is a function of (seed, r) alone, so {@link #subjectOf(long)} recomputes the
 * subject of any record for hit lookups without storing anything.
 */
final class SyntheticIndexRecords {
  static final double RECORDS_PER_SUBJECT = 1.6;
  static final int GEMEENTEN = 25;
  static final int WIJKEN_PER_GEMEENTE = 10;
  static final int BUURTEN_PER_WIJK = 4;
  static final int BUURTEN = GEMEENTEN * WIJKEN_PER_GEMEENTE * BUURTEN_PER_WIJK;

  private record Category(String name, IdentifierForm form, int weight) {}

  private final long seed;
  private final long records;
  private final LocalDate reference;
  private final List<Category> categories = new ArrayList<>();
  private final int[] cumulative;
  private final int[] pool = new int[IdentifierForm.values().length];
  private final AreaCode[] buurten = new AreaCode[BUURTEN];

  SyntheticIndexRecords(long seed, long records, LocalDate reference) {
    this.seed = seed;
    this.records = records;
    this.reference = reference;
    for (PartyProfile p : SyntheticFederation.demoProfiles()) {
      for (CategorySpec c : p.categories()) {
        for (SubjectType t : c.subjectTypes()) {
          if (categories.stream().noneMatch(x -> x.name().equals(c.category()) && x.form() == form(t))) {
            categories.add(new Category(c.category(), form(t), c.weight()));
          }
        }
      }
    }
    cumulative = new int[categories.size()];
    int total = 0;
    long[] perForm = new long[pool.length];
    for (int i = 0; i < categories.size(); i++) {
      total += categories.get(i).weight();
      cumulative[i] = total;
    }
    for (Category c : categories) {
      perForm[c.form().ordinal()] += c.weight();
    }
    for (int f = 0; f < pool.length; f++) {
      pool[f] = (int) Math.max(1, Math.ceil(records * (double) perForm[f] / total / RECORDS_PER_SUBJECT));
    }
    for (int b = 0; b < BUURTEN; b++) {
      int g = b / (WIJKEN_PER_GEMEENTE * BUURTEN_PER_WIJK);
      int w = b / BUURTEN_PER_WIJK % WIJKEN_PER_GEMEENTE;
      buurten[b] = AreaCode.parse(String.format("BU%04d%02d%02d", 300 + g, w + 1, b % BUURTEN_PER_WIJK + 1));
    }
  }

  /** Every category name, for a filter that selects everything. */
  List<String> categoryNames() {
    return categories.stream().map(Category::name).distinct().toList();
  }

  /** Some buurt, wijk and gemeente codes that hold records. */
  AreaCode area(long draw) {
    AreaCode buurt = buurten[(int) Long.remainderUnsigned(mix(draw), BUURTEN)];
    String digits = buurt.code().substring(2);
    return switch ((int) Long.remainderUnsigned(draw, 3)) {
      case 0 -> buurt;
      case 1 -> AreaCode.parse("WK" + digits.substring(0, 6));
      default -> AreaCode.parse("GM" + digits.substring(0, 4));
    };
  }

  void addAll(IndexBuilder builder) {
    for (long r = 0; r < records; r++) {
      long k = key(seed, r);
      Category c = category(k);
      int subject = subject(c, k);
      LocalDate date = reference.minusDays(Long.remainderUnsigned(mix(k + 3), SyntheticFederation.HISTORY_DAYS));
      builder.add(c.form(), pseudonym(c.form(), subject), c.name(), date, home(c.form(), subject));
    }
  }

  /** The pseudonym of record {@code r}'s subject: a lookup for it is a hit. */
  Pseudonym subjectOf(long r) {
    long k = key(seed, r);
    Category c = category(k);
    return pseudonym(c.form(), subject(c, k));
  }

  /** A pseudonym no record has (another key stream): a lookup for it is a miss. */
  Pseudonym absent(long i) {
    return pseudonym(key(~seed, i));
  }

  private Category category(long k) {
    int x = (int) Long.remainderUnsigned(mix(k + 1), cumulative[cumulative.length - 1]);
    int c = 0;
    while (x >= cumulative[c]) {
      c++;
    }
    return categories.get(c);
  }

  private int subject(Category c, long k) {
    return (int) Long.remainderUnsigned(mix(k + 2), pool[c.form().ordinal()]);
  }

  private Optional<AreaCode> home(IdentifierForm form, int subject) {
    long h = key(key(seed ^ 0x61726561L, form.ordinal()), subject);
    if (Long.remainderUnsigned(h, 100) < 5) {
      return Optional.empty();
    }
    return Optional.of(buurten[(int) Long.remainderUnsigned(mix(h), BUURTEN)]);
  }

  private Pseudonym pseudonym(IdentifierForm form, int subject) {
    return pseudonym(key(key(seed, 0x7073L + form.ordinal()), subject));
  }

  private static Pseudonym pseudonym(long k) {
    byte[] b = new byte[Pseudonym.LENGTH];
    for (int i = 0; i < 4; i++) {
      long v = mix(k + i * 0x9e3779b97f4a7c15L);
      for (int j = 0; j < 8; j++) {
        b[i * 8 + j] = (byte) (v >>> (56 - 8 * j));
      }
    }
    return Pseudonym.of(b);
  }

  private static IdentifierForm form(SubjectType t) {
    return switch (t) {
      case PERSON -> IdentifierForm.BSN;
      case ADDRESS -> IdentifierForm.BAG_ID;
      case ORGANISATION -> IdentifierForm.KVK;
    };
  }

  private static long key(long a, long b) {
    return mix(a ^ mix(b + 0x9e3779b97f4a7c15L));
  }

  /** Stafford's variant 13 of the MurmurHash3 finaliser (SplitMix64). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
