package nl.schakel.bench.synthetic;

import java.util.List;

/**
 * How one subject type's population is divided between the parties that hold that type, and how
 * a party draws a subject from it. Depends only on the profiles and the per-party record count,
 * so every party written with the same count sees the same shared subjects.
 *
 * <p>Index {@code u} of the type's population belongs to slot {@code u mod (m+1)} where {@code m}
 * is the number of parties holding the type. Slot {@code j+1} is the exclusive pool of the
 * {@code j}-th such party: subjects only it knows. Slot 0 is the shared pool. Shared subject
 * {@code g = q*m + h} is known at the {@code k(q)} parties {@code h, h+s(q), h+2s(q), ... (mod m)}:
 * a party finds the subjects it shares by picking {@code q} and its own position in that
 * progression, without searching. {@link #SHARED_DRAWS} of a party's draws go to shared subjects,
 * and the shared pool is sized so that each gets about {@link #COVERAGE} draws per party, so most
 * of them really are known at two or more parties.
 */
final class SharingPlan {
  /** Share of a party's draws that pick a subject it shares with other parties. */
  static final double SHARED_DRAWS = 0.30;
  /** Expected draws per party per shared subject; 2 leaves about 14% of them unseen by a party. */
  static final double COVERAGE = 2.0;
  /**
   * Exclusive pool size per expected exclusive draw. At 1.0 a known subject has on average 1.6
   * records (Poisson(1) given at least one): repeat incidents and second leases are common.
   */
  static final double EXCLUSIVE_POOL_PER_DRAW = 1.0;

  private final SubjectType type;
  private final long key;
  private final int parties;
  private final int slots;
  private final int groups;
  private final double sharedDraws;

  private SharingPlan(SubjectType type, long key, int parties, int groups, double sharedDraws) {
    this.type = type;
    this.key = key;
    this.parties = parties;
    this.slots = parties + 1;
    this.groups = groups;
    this.sharedDraws = sharedDraws;
  }

  /**
   * @param holderShares for each party holding this type (in profile order), the expected share of
   *     its records about this type
   * @param recordsPerParty the population records each party gets
   */
  static SharingPlan create(
      SubjectType type, long seedKey, List<Double> holderShares, long recordsPerParty) {
    int m = holderShares.size();
    long key = Draws.key(seedKey, 0x736861726564L, type.ordinal());
    int capacity = Population.space(type) / (m + 1);
    if (m < 2) {
      return new SharingPlan(type, key, m, 0, 0.0);
    }
    double meanShare = holderShares.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double meanDraws = SHARED_DRAWS * recordsPerParty * meanShare;
    double subjectsPerGroup = expectedGroupSize(m);
    long groups = Math.round(meanDraws / (subjectsPerGroup * COVERAGE));
    groups = Math.max(1, Math.min(groups, capacity / m));
    return new SharingPlan(type, key, m, (int) groups, SHARED_DRAWS);
  }

  /** Draws the population index of a subject known to the holder at {@code position}. */
  int draw(int position, int exclusivePool, Draws draws) {
    if (groups > 0 && draws.unit() < sharedDraws) {
      int q = draws.below(groups);
      long h = Draws.key(key, q);
      int k = groupSize(h, parties);
      int s = step(h, k, parties);
      int i = draws.below(k);
      int member = Math.floorMod(position - i * s, parties);
      return (q * parties + member) * slots;
    }
    return draws.below(exclusivePool) * slots + position + 1;
  }

  /** The exclusive pool size for a holder expected to draw {@code draws} subjects of this type. */
  int exclusivePool(double expectedDraws) {
    int capacity = Population.space(type) / slots;
    long size = Math.round(expectedDraws * (1 - sharedDraws) * EXCLUSIVE_POOL_PER_DRAW);
    return (int) Math.max(1, Math.min(size, capacity));
  }

  // 70% of shared subjects are known at two parties, 25% at three, 5% at four.
  private static int groupSize(long h, int parties) {
    double x = (h >>> 11) * 0x1.0p-53;
    int k = x < 0.70 ? 2 : x < 0.95 ? 3 : 4;
    return Math.min(k, parties);
  }

  private static double expectedGroupSize(int parties) {
    return 0.70 * Math.min(2, parties) + 0.25 * Math.min(3, parties) + 0.05 * Math.min(4, parties);
  }

  // A step whose first k multiples are distinct mod m, so the k holders are k different parties.
  // Step 1 always qualifies because k <= m.
  private static int step(long h, int k, int m) {
    int s = 1 + (int) Long.remainderUnsigned(Draws.mix(h), m - 1);
    while (!distinctMultiples(s, k, m)) {
      s = s % (m - 1) + 1;
    }
    return s;
  }

  private static boolean distinctMultiples(int s, int k, int m) {
    for (int d = 1; d < k; d++) {
      if ((d * s) % m == 0) {
        return false;
      }
    }
    return true;
  }
}
