package nl.schakel.bench.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fixed subjects behind the documentation's tour (the scenarios in the domain CONTEXT.md).
 * Every generated federation contains exactly these records, whatever the seed or size, and the
 * random population never touches them: population BSNs never start with {@code 99999}, population
 * BAG sequence numbers start at 200000, population postcodes skip {@code 3511AB}, population KvK
 * numbers start with {@code 3}, and no random record of an {@link #AREA_RESERVED area-anchored}
 * party and category lies in {@link #AREA}.
 *
 * <p>An anchor record is written only if the party's profile holds its category for its subject
 * type, so custom profiles get the anchors that fit them.
 */
public final class ScenarioAnchors {

  /** Known at politie (huiselijk geweld ×4), veilig-thuis, woningcorporatie, ggz and sociaal-domein. */
  public static final String BSN_KNOWN_AT_FIVE = "999990019";
  /** Known at no party. */
  public static final String BSN_KNOWN_NOWHERE = "999990032";
  /** Known only at reclassering (toezicht ×1). */
  public static final String BSN_ONLY_RECLASSERING = "999990044";
  /** The 13b address: politie drugs (12 months), woningcorporatie lease, sociaal-domein minors. */
  public static final String BAG_13B_ADDRESS = "0344200000123456";
  /** Only a woningcorporatie lease. */
  public static final String POSTAL_LEASE_ONLY = "3511AB 12";
  /** Known at belastingdienst (fiscaal signaal) and gemeente-oov (Bibob). */
  public static final String KVK_KNOWN_TWICE = "12345678";
  /** Known at no party. */
  public static final String KVK_KNOWN_NOWHERE = "87654321";

  /** The ondermijning neighbourhood of scenario 4. */
  public static final String AREA = "BU03440101";
  /** Politie {@code signaal.ondermijning} records in {@link #AREA}: below 5, so shown as "<5". */
  public static final int AREA_SIGNALS = 2;
  /** Woningcorporatie {@code overlast} records in {@link #AREA}, each about a different person. */
  public static final int AREA_OVERLAST = 12;
  /** The address behind one of the two area signals. */
  public static final String AREA_SIGNAL_ADDRESS = "0344200000100001";
  /** The organisation behind the other area signal. */
  public static final String AREA_SIGNAL_KVK = "24680135";
  /** The persons behind the overlast records in {@link #AREA}, known nowhere else. */
  public static final List<String> AREA_OVERLAST_BSNS = List.of(
      "999991012", "999991024", "999991036", "999991048", "999991061", "999991073",
      "999991085", "999991097", "999991103", "999991115", "999991127", "999991139");

  /** Party and category whose count in {@link #AREA} is fixed by the anchors alone. */
  public record AreaReservation(String party, String category, String area) {
    public AreaReservation {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(area, "area");
    }
  }

  /** The party/category pairs that random records never place in {@link #AREA}. */
  public static final List<AreaReservation> AREA_RESERVED = List.of(
      new AreaReservation("politie", "signaal.ondermijning", AREA),
      new AreaReservation("woningcorporatie", "overlast", AREA));

  /**
   * One anchor record. Its date is {@code daysBeforeReference} days before the generator's
   * reference date.
   */
  public record AnchorRecord(
      String party,
      SubjectType subjectType,
      String identifier,
      String category,
      int daysBeforeReference,
      String area) {
    public AnchorRecord {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(subjectType, "subjectType");
      Objects.requireNonNull(identifier, "identifier");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(area, "area");
    }

    // Synthetic, but still shaped like a citizen identifier: never printed.
    @Override
    public String toString() {
      return "AnchorRecord[party=" + party + ", subjectType=" + subjectType + ", identifier=redacted"
          + ", category=" + category + ", daysBeforeReference=" + daysBeforeReference
          + ", area=" + area + "]";
    }
  }

  private static final String HOME_OF_FIVE = "BU03440305";
  private static final String AREA_OF_13B = "BU03440102";
  private static final String HOME_OF_RECLASSERING = "BU03440208";
  private static final String SEAT_OF_COMPANY = "BU03440410";

  private static final List<AnchorRecord> RECORDS = build();

  private ScenarioAnchors() {}

  /** Every anchor record, in the order they are written. */
  public static List<AnchorRecord> records() {
    return RECORDS;
  }

  /** The anchor records written for {@code profile}: those whose category and type it holds. */
  public static List<AnchorRecord> recordsFor(PartyProfile profile) {
    return RECORDS.stream()
        .filter(r -> r.party().equals(profile.party()))
        .filter(r -> profile.holds(r.category(), r.subjectType()))
        .toList();
  }

  private static List<AnchorRecord> build() {
    var p = SubjectType.PERSON;
    var a = SubjectType.ADDRESS;
    var o = SubjectType.ORGANISATION;
    var r = new ArrayList<AnchorRecord>();
    // Scenario 1: four incidents within five years gives the banded count "3-5".
    for (int days : new int[] {41, 388, 902, 1503}) {
      r.add(new AnchorRecord("politie", p, BSN_KNOWN_AT_FIVE, "incident.huiselijk-geweld", days, HOME_OF_FIVE));
    }
    // Scenario 2: drugs found within the last twelve months.
    r.add(new AnchorRecord("politie", a, BAG_13B_ADDRESS, "incident.drugs", 63, AREA_OF_13B));
    // Scenario 4: two signals, shown as "<5".
    r.add(new AnchorRecord("politie", a, AREA_SIGNAL_ADDRESS, "signaal.ondermijning", 34, AREA));
    r.add(new AnchorRecord("politie", o, AREA_SIGNAL_KVK, "signaal.ondermijning", 97, AREA));
    r.add(new AnchorRecord("veilig-thuis", p, BSN_KNOWN_AT_FIVE, "melding", 120, HOME_OF_FIVE));
    r.add(new AnchorRecord("woningcorporatie", p, BSN_KNOWN_AT_FIVE, "huurcontract", 1400, HOME_OF_FIVE));
    r.add(new AnchorRecord("woningcorporatie", a, BAG_13B_ADDRESS, "huurcontract", 800, AREA_OF_13B));
    r.add(new AnchorRecord("woningcorporatie", a, POSTAL_LEASE_ONLY, "huurcontract", 600, AREA));
    for (int i = 0; i < AREA_OVERLAST_BSNS.size(); i++) {
      r.add(new AnchorRecord("woningcorporatie", p, AREA_OVERLAST_BSNS.get(i), "overlast", 10 + 13 * i, AREA));
    }
    r.add(new AnchorRecord("ggz", p, BSN_KNOWN_AT_FIVE, "behandeling", 200, HOME_OF_FIVE));
    r.add(new AnchorRecord("sociaal-domein", p, BSN_KNOWN_AT_FIVE, "hulpverlening", 300, HOME_OF_FIVE));
    r.add(new AnchorRecord("sociaal-domein", a, BAG_13B_ADDRESS, "minderjarige-ingeschreven", 90, AREA_OF_13B));
    r.add(new AnchorRecord("reclassering", p, BSN_ONLY_RECLASSERING, "toezicht", 150, HOME_OF_RECLASSERING));
    r.add(new AnchorRecord("belastingdienst", o, KVK_KNOWN_TWICE, "fiscaal-signaal", 220, SEAT_OF_COMPANY));
    r.add(new AnchorRecord("gemeente-oov", o, KVK_KNOWN_TWICE, "bibob-onderzoek", 45, SEAT_OF_COMPANY));
    return List.copyOf(r);
  }
}
