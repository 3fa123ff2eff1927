package nl.schakel.node.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * Collects records into growable primitive columns (about 43 bytes a record, no object per
 * record), then {@link #build()} sorts them once by pseudonym, numbers identical records, derives
 * every record key and lays out the {@link CompactIndex}. Single-threaded; {@link #progress()}
 * may be read from any thread. Spent after {@link #build()}.
 *
 * <p>Identical records (same form, pseudonym, category, day and area) are separate records: two
 * identical rows count twice, with keys for ordinals 0 and 1, as a source delivering the same
 * event twice says it twice.
 */
public final class IndexBuilder {
  /** How many records pass between two progress reports within a stage. */
  public static final int PROGRESS_STEP = 1_000_000;
  /** The most records one index holds: Java arrays are int-indexed. */
  public static final int MAX_RECORDS = Integer.MAX_VALUE - 16;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final List<IdentifierForm> FORMS = List.of(IdentifierForm.values());
  private static final int MAX_CATEGORIES = 1 << 16;
  // An area cell packs (area, category, day - first day) into one non-negative long: 21 + 16 + 26 bits.
  private static final int DAY_BITS = 26;
  private static final int CATEGORY_SHIFT = DAY_BITS;
  private static final int AREA_SHIFT = DAY_BITS + 16;
  private static final int MAX_AREAS = 1 << 21;
  private static final long DAY_MASK = (1L << DAY_BITS) - 1;
  private static final int INITIAL_CAPACITY = 1024;
  /** {@link #progress()} lags at most this many records: a volatile write per record would cost more. */
  private static final int PUBLISH_STEP = 4096;

  private final RecordKeys keys;
  private final Consumer<BuildProgress> listener;

  private long[] p0 = new long[INITIAL_CAPACITY];
  private long[] p1 = new long[INITIAL_CAPACITY];
  private long[] p2 = new long[INITIAL_CAPACITY];
  private long[] p3 = new long[INITIAL_CAPACITY];
  private byte[] form = new byte[INITIAL_CAPACITY];
  private char[] category = new char[INITIAL_CAPACITY];
  private int[] day = new int[INITIAL_CAPACITY];
  private int[] area = new int[INITIAL_CAPACITY];
  private int size;
  private int minDay = Integer.MAX_VALUE;
  private int maxDay = Integer.MIN_VALUE;

  // Dictionaries: one entry per distinct category or area, never per record.
  private final Map<String, Integer> categoryCodes = new HashMap<>();
  private final List<String> categoryNames = new ArrayList<>();
  private int[] categoryForms = new int[16];
  private final Map<String, Integer> areaCodes = new HashMap<>();
  private final List<String> areaNames = new ArrayList<>();
  /** Per area index: itself, then its enclosing codes; null for a code only ever seen enclosing. */
  private final List<int[]> chains = new ArrayList<>();

  private volatile BuildProgress progress = new BuildProgress(BuildProgress.Stage.COLLECTING, 0, 0);
  private boolean spent;

  IndexBuilder(RecordKeys keys, Consumer<BuildProgress> listener) {
    this.keys = keys;
    this.listener = listener;
  }

  /**
   * Adds one record.
   *
   * @throws IllegalArgumentException if the date lies beyond what an int of days since 1970 holds
   * @throws IllegalStateException if the builder is spent or holds {@value #MAX_RECORDS} records
   *     or {@value #MAX_CATEGORIES} categories already
   */
  public void add(IdentifierForm form, Pseudonym subject, String category, LocalDate date, Optional<AreaCode> area) {
    checkNotSpent();
    if (size == MAX_RECORDS) {
      throw new IllegalStateException("an index holds at most " + MAX_RECORDS + " records; split the source");
    }
    long epochDay = date.toEpochDay();
    if (epochDay != (int) epochDay) {
      throw new IllegalArgumentException("record date must lie within 5.8 million years of 1970, found year "
          + date.getYear());
    }
    int categoryCode = categoryCode(category);
    int areaIndex = area.isPresent() ? areaIndex(area.get()) : -1;
    ensureCapacity();
    byte[] b = subject.bytes();
    p0[size] = (long) LONGS.get(b, 0);
    p1[size] = (long) LONGS.get(b, 8);
    p2[size] = (long) LONGS.get(b, 16);
    p3[size] = (long) LONGS.get(b, 24);
    this.form[size] = (byte) form.ordinal();
    this.category[size] = (char) categoryCode;
    this.day[size] = (int) epochDay;
    this.area[size] = areaIndex;
    categoryForms[categoryCode] |= 1 << form.ordinal();
    minDay = Math.min(minDay, (int) epochDay);
    maxDay = Math.max(maxDay, (int) epochDay);
    size++;
    if (size % PROGRESS_STEP == 0) {
      report(BuildProgress.Stage.COLLECTING, 0);
    } else if (size % PUBLISH_STEP == 0) {
      progress = new BuildProgress(BuildProgress.Stage.COLLECTING, size, 0);
    }
  }

  /** Where the build stands, at most a few thousand records behind; safe to call from any thread. */
  public BuildProgress progress() {
    return progress;
  }

  /**
   * Sorts, derives record keys and lays out the index; the builder is spent afterwards and its
   * columns are released as soon as they are read.
   *
   * @throws IllegalStateException if the records name more than 2^21 areas or their dates span
   *     more than 2^26 days (180 000 years), which the area table cannot pack
   */
  public CompactIndex build() {
    checkNotSpent();
    spent = true;
    int n = size;
    if (areaNames.size() > MAX_AREAS) {
      throw new IllegalStateException("expected at most " + MAX_AREAS + " distinct area codes, found "
          + areaNames.size());
    }
    if (n > 0 && (long) maxDay - minDay > DAY_MASK) {
      throw new IllegalStateException("expected record dates within " + DAY_MASK + " days of each other, found "
          + ((long) maxDay - minDay));
    }
    report(BuildProgress.Stage.SORTING, 0);
    RecordOrder order = new RecordOrder(p0, p1, p2, p3, form, category, day, area);
    int[] sorted = order.sort(n);
    report(BuildProgress.Stage.KEYING, 0);
    SubjectTable subjects;
    CellTable cells = new CellTable(1 << 12);
    {
      // Subjects are counted first so their arrays are allocated once, at their final size.
      int subjectCount = 0;
      for (int k = 0; k < n; k++) {
        if (k == 0 || !order.samePrefix(sorted[k - 1], sorted[k])) {
          subjectCount++;
        }
      }
      long[] prefix = new long[2 * subjectCount];
      int[] mentionStart = new int[subjectCount + 1];
      char[] mentionCategory = new char[n];
      int[] mentionDay = new int[n];
      int[] mentionKey = new int[n];
      int[][] chainOf = chains.toArray(new int[0][]);
      Pseudonym pseudonym = null;
      int s = -1;
      int ordinal = 0;
      for (int k = 0; k < n; k++) {
        int r = sorted[k];
        int previous = k == 0 ? -1 : sorted[k - 1];
        boolean samePrefix = previous >= 0 && order.samePrefix(previous, r);
        if (!samePrefix) {
          s++;
          prefix[2 * s] = p0[r];
          prefix[2 * s + 1] = p1[r];
          mentionStart[s] = k;
        }
        if (!samePrefix || p2[previous] != p2[r] || p3[previous] != p3[r]) {
          pseudonym = pseudonym(r);
        }
        ordinal = samePrefix && order.compareAfterPrefix(previous, r) == 0 ? ordinal + 1 : 0;
        int key = keys.key(FORMS.get(form[r]), pseudonym, categoryNames.get(category[r]),
            LocalDate.ofEpochDay(day[r]), area[r] < 0 ? "" : areaNames.get(area[r]), ordinal);
        mentionCategory[k] = category[r];
        mentionDay[k] = day[r];
        mentionKey[k] = key;
        if (area[r] >= 0) {
          long categoryAndDay = ((long) category[r] << CATEGORY_SHIFT) | (day[r] - (long) minDay);
          for (int a : chainOf[area[r]]) {
            cells.add(((long) a << AREA_SHIFT) | categoryAndDay, key);
          }
        }
        if ((k + 1) % PROGRESS_STEP == 0) {
          report(BuildProgress.Stage.KEYING, k + 1);
        } else if ((k + 1) % PUBLISH_STEP == 0) {
          progress = new BuildProgress(BuildProgress.Stage.KEYING, n, k + 1);
        }
      }
      mentionStart[subjectCount] = n;
      sorted = null;
      order = null;
      release();
      subjects = new SubjectTable(prefix, mentionStart, mentionCategory, mentionDay, mentionKey);
    }
    report(BuildProgress.Stage.AGGREGATING, n);
    AreaTable areas = n == 0 ? AreaTable.empty() : areaTable(cells);
    Map<String, Set<IdentifierForm>> formsPerCategory = new HashMap<>();
    Set<IdentifierForm> forms = EnumSet.noneOf(IdentifierForm.class);
    for (int c = 0; c < categoryNames.size(); c++) {
      Set<IdentifierForm> these = EnumSet.noneOf(IdentifierForm.class);
      for (IdentifierForm f : FORMS) {
        if ((categoryForms[c] & (1 << f.ordinal())) != 0) {
          these.add(f);
        }
      }
      forms.addAll(these);
      formsPerCategory.put(categoryNames.get(c), Set.copyOf(these));
    }
    CompactIndex index = new CompactIndex(categoryCodes, subjects, areas, forms, formsPerCategory, n);
    report(BuildProgress.Stage.DONE, n);
    return index;
  }

  /** Lays the summed cells out per area, then category, then ascending day, with suffix sums per cell. */
  private AreaTable areaTable(CellTable cells) {
    long[] sorted = cells.cells();
    Arrays.sort(sorted); // non-negative packing: signed order is (area, category, day) order
    int d = sorted.length;
    int cellCount = 0;
    for (int i = 0; i < d; i++) {
      if (i == 0 || sorted[i] >>> CATEGORY_SHIFT != sorted[i - 1] >>> CATEGORY_SHIFT) {
        cellCount++;
      }
    }
    int[] cellStart = new int[areaNames.size() + 1];
    char[] cellCategory = new char[cellCount];
    int[] dayStart = new int[cellCount + 1];
    int[] days = new int[d];
    int[] countFrom = new int[d];
    int[] keyFrom = new int[d];
    int c = -1;
    for (int i = 0; i < d; i++) {
      long cell = sorted[i];
      if (i == 0 || cell >>> CATEGORY_SHIFT != sorted[i - 1] >>> CATEGORY_SHIFT) {
        c++;
        cellCategory[c] = (char) ((cell >>> CATEGORY_SHIFT) & 0xFFFF);
        dayStart[c] = i;
        cellStart[(int) (cell >>> AREA_SHIFT) + 1]++;
      }
      days[i] = (int) (minDay + (cell & DAY_MASK));
      countFrom[i] = cells.count(cell);
      keyFrom[i] = cells.keySum(cell);
    }
    dayStart[cellCount] = d;
    for (int a = 0; a < areaNames.size(); a++) {
      cellStart[a + 1] += cellStart[a];
    }
    // Suffix sums: entry i then covers its own day and every later day of the same cell.
    for (int k = 0; k < cellCount; k++) {
      for (int i = dayStart[k + 1] - 2; i >= dayStart[k]; i--) {
        countFrom[i] += countFrom[i + 1];
        keyFrom[i] += keyFrom[i + 1];
      }
    }
    return new AreaTable(areaCodes, cellStart, cellCategory, dayStart, days, countFrom, keyFrom);
  }

  private int categoryCode(String name) {
    Integer code = categoryCodes.get(name);
    if (code != null) {
      return code;
    }
    if (categoryNames.size() == MAX_CATEGORIES) {
      throw new IllegalStateException("an index holds at most " + MAX_CATEGORIES + " distinct categories");
    }
    int next = categoryNames.size();
    categoryCodes.put(name, next);
    categoryNames.add(name);
    if (next == categoryForms.length) {
      categoryForms = Arrays.copyOf(categoryForms, next * 2);
    }
    return next;
  }

  /** The area's own index, registering it and the codes that enclose it on first sight. */
  private int areaIndex(AreaCode code) {
    int own = areaCodeIndex(code.code());
    if (chains.get(own) == null) {
      List<String> codes = enclosingCodes(code);
      int[] chain = new int[codes.size()];
      for (int i = 0; i < chain.length; i++) {
        chain[i] = areaCodeIndex(codes.get(i));
      }
      chains.set(own, chain);
    }
    return own;
  }

  private int areaCodeIndex(String code) {
    Integer i = areaCodes.get(code);
    if (i != null) {
      return i;
    }
    int next = areaNames.size();
    areaCodes.put(code, next);
    areaNames.add(code);
    chains.add(null);
    return next;
  }

  /** The area's own code first, then the codes that enclose it. */
  private static List<String> enclosingCodes(AreaCode area) {
    String code = area.code();
    String digits = code.substring(2);
    return switch (area.level()) {
      case BUURT -> List.of(code, "WK" + digits.substring(0, 6), "GM" + digits.substring(0, 4));
      case WIJK -> List.of(code, "GM" + digits.substring(0, 4));
      case GEMEENTE -> List.of(code);
    };
  }

  private Pseudonym pseudonym(int r) {
    byte[] b = new byte[Pseudonym.LENGTH];
    LONGS.set(b, 0, p0[r]);
    LONGS.set(b, 8, p1[r]);
    LONGS.set(b, 16, p2[r]);
    LONGS.set(b, 24, p3[r]);
    return Pseudonym.of(b);
  }

  private void ensureCapacity() {
    if (size < p0.length) {
      return;
    }
    int capacity = (int) Math.min(MAX_RECORDS, p0.length + (p0.length >> 1) + 1L);
    p0 = Arrays.copyOf(p0, capacity);
    p1 = Arrays.copyOf(p1, capacity);
    p2 = Arrays.copyOf(p2, capacity);
    p3 = Arrays.copyOf(p3, capacity);
    form = Arrays.copyOf(form, capacity);
    category = Arrays.copyOf(category, capacity);
    day = Arrays.copyOf(day, capacity);
    area = Arrays.copyOf(area, capacity);
  }

  /** Drops the columns, so a ten-million-record build does not hold them beside the result. */
  private void release() {
    p0 = p1 = p2 = p3 = null;
    form = null;
    category = null;
    day = null;
    area = null;
  }

  private void report(BuildProgress.Stage stage, long processed) {
    BuildProgress now = new BuildProgress(stage, size, processed);
    progress = now;
    listener.accept(now);
  }

  private void checkNotSpent() {
    if (spent) {
      throw new IllegalStateException("this builder has built its index already; start a new builder");
    }
  }
}
