package nl.schakel.node.index;

import java.util.Map;

/**
 * Per area (buurt, wijk and gemeente codes alike) its cells, one per category it holds; per cell
 * the days with records in ascending order, each with the count and key sum of the records on
 * that day <em>or later</em> within the cell. A lookback then costs one binary search per
 * selected category, whatever the area's size: counting a gemeente of a million records costs as
 * much as counting a buurt of ten.
 */
final class AreaTable {
  private final Map<String, Integer> areas;
  private final int[] cellStart;
  private final char[] cellCategory;
  private final int[] dayStart;
  private final int[] day;
  private final int[] countFrom;
  private final int[] keyFrom;

  AreaTable(Map<String, Integer> areas, int[] cellStart, char[] cellCategory, int[] dayStart, int[] day,
      int[] countFrom, int[] keyFrom) {
    this.areas = Map.copyOf(areas);
    this.cellStart = cellStart;
    this.cellCategory = cellCategory;
    this.dayStart = dayStart;
    this.day = day;
    this.countFrom = countFrom;
    this.keyFrom = keyFrom;
  }

  static AreaTable empty() {
    return new AreaTable(Map.of(), new int[1], new char[0], new int[1], new int[0], new int[0], new int[0]);
  }

  Matches tally(String areaCode, boolean[] selected, int firstDay) {
    Integer a = areas.get(areaCode);
    if (a == null) {
      return Matches.NONE;
    }
    long n = 0;
    int cellKey = 0;
    for (int c = cellStart[a], end = cellStart[a + 1]; c < end; c++) {
      if (!selected[cellCategory[c]]) {
        continue;
      }
      int i = firstAtOrAfter(dayStart[c], dayStart[c + 1], firstDay);
      if (i < dayStart[c + 1]) {
        n += countFrom[i];
        cellKey += keyFrom[i];
      }
    }
    return n == 0 ? Matches.NONE : new Matches(n, cellKey);
  }

  /** The first index in day[from, to) holding a day at or after {@code firstDay}, or {@code to}. */
  private int firstAtOrAfter(int from, int to, int firstDay) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (day[mid] < firstDay) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  int areas() {
    return areas.size();
  }

  int days() {
    return day.length;
  }

  long footprintBytes() {
    // A HashMap entry with its String and Integer: about 100 bytes, per area not per record.
    return 100L * areas.size() + Footprint.of(cellStart) + Footprint.of(cellCategory) + Footprint.of(dayStart)
        + Footprint.of(day) + Footprint.of(countFrom) + Footprint.of(keyFrom);
  }
}
