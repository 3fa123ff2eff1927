package nl.schakel.node.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * A node's records in compact, immutable form: per subject pseudonym its mentions (category, day,
 * record key), and per area the counts and key sums per category and day. Built once by an
 * {@link IndexBuilder}, read by any number of threads without locks; a refresh builds the next
 * one beside it and swaps the reference.
 *
 * <p>Subjects are keyed by the first 16 bytes of their pseudonym. Two pseudonyms that share those
 * 128 bits would be counted as one subject; among keyed-hash outputs that happens with probability
 * about n²/2^129, below 10^-24 for 17 million subjects. No record content, identifier or full
 * pseudonym is kept, and nothing here prints one.
 *
 * <p>Lookups cost the same whatever the number of records: a subject lookup reads one directory
 * slot, a bucket of about one subject and that subject's own mentions; an area lookup reads one
 * binary search per selected category in that area.
 */
public final class CompactIndex {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final Map<String, Integer> categories;
  private final SubjectTable subjects;
  private final AreaTable areas;
  private final Set<IdentifierForm> forms;
  private final Map<String, Set<IdentifierForm>> formsPerCategory;
  private final long records;

  CompactIndex(Map<String, Integer> categories, SubjectTable subjects, AreaTable areas, Set<IdentifierForm> forms,
      Map<String, Set<IdentifierForm>> formsPerCategory, long records) {
    this.categories = Map.copyOf(categories);
    this.subjects = subjects;
    this.areas = areas;
    this.forms = Set.copyOf(forms);
    this.formsPerCategory = Map.copyOf(formsPerCategory);
    this.records = records;
  }

  /** A builder deriving record keys with {@code keys} and reporting nothing. */
  public static IndexBuilder builder(RecordKeys keys) {
    return builder(keys, p -> {});
  }

  /**
   * A builder deriving record keys with {@code keys} and telling {@code progress} at each stage
   * and every {@value IndexBuilder#PROGRESS_STEP} records, on the building thread.
   */
  public static IndexBuilder builder(RecordKeys keys, Consumer<BuildProgress> progress) {
    return new IndexBuilder(Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(progress, "progress"));
  }

  /** The records about {@code subject} that {@code filter} selects. */
  public Matches subject(Pseudonym subject, Filter filter) {
    byte[] b = subject.bytes();
    return subjects.tally((long) LONGS.get(b, 0), (long) LONGS.get(b, 8), selected(filter), filter.firstEpochDay());
  }

  /**
   * The records located in {@code area} that {@code filter} selects. A wijk or gemeente code
   * counts every buurt within it, since CBS codes nest (BU0344 01 01 lies in WK0344 01 and GM0344).
   */
  public Matches area(AreaCode area, Filter filter) {
    return areas.tally(area.code(), selected(filter), filter.firstEpochDay());
  }

  /** The identifier forms the records use: a question in another form cannot be matched. */
  public Set<IdentifierForm> identifierForms() {
    return forms;
  }

  /** Each category in the records, with the identifier forms its subjects have. */
  public Map<String, Set<IdentifierForm>> formsPerCategory() {
    return formsPerCategory;
  }

  public long records() {
    return records;
  }

  /** Distinct subjects (16-byte pseudonym prefixes). */
  public int subjects() {
    return subjects.subjects();
  }

  /** Distinct area codes, enclosing wijk and gemeente codes included. */
  public int areas() {
    return areas.areas();
  }

  /**
   * The heap this index's arrays and dictionaries occupy, computed from their lengths (64-bit JVM
   * with compressed references): a figure for metrics that needs no heap walk.
   */
  public long footprintBytes() {
    return subjects.footprintBytes() + areas.footprintBytes() + 100L * categories.size();
  }

  /** One flag per category code: whether the filter counts it. */
  private boolean[] selected(Filter filter) {
    boolean[] selected = new boolean[categories.size()];
    for (String c : filter.categories()) {
      Integer code = categories.get(c);
      if (code != null) {
        selected[code] = true;
      }
    }
    return selected;
  }

  @Override
  public String toString() {
    return "CompactIndex[records=" + records + ", subjects=" + subjects() + ", areas=" + areas() + "]";
  }
}
