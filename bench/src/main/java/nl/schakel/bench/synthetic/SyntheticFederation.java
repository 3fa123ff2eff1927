package nl.schakel.bench.synthetic;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deterministic synthetic records for a local federation, one CSV file per party in the format
 * the node's CSV source reads: header {@value #CSV_HEADER}, UTF-8, {@code \n} line ends.
 *
 * <p>All parties draw from one population per seed (see {@link Population}), so some subjects are
 * known at several parties, as in a real Zorg- en Veiligheidshuis: about one in ten persons known
 * anywhere is known at two or more parties when every party gets the same record count, and a
 * known subject has on average about 1.6 records at a party. Each file starts with the
 * {@link ScenarioAnchors} records that fit the party's profile, then {@code records} population
 * records. Record {@code i} of a party is computed from (seed, party, i) and the pool sizes that
 * follow from the record count, so writing streams in constant memory: 10 million records in about
 * 3 s with a 48 MB heap. Pool sizes scale with the count, so a smaller file is not a prefix of a
 * larger one.
 *
 * <p>Same seed, reference date, profiles and count give byte-identical files. Nothing reads the
 * clock: dates lie in the {@value #HISTORY_DAYS} days up to and including the reference date.
 *
 * <p>Limits: each party's exclusive subjects of one type come from at most {@code space / (m+1)}
 * identifiers, where {@code m} is the number of parties holding that type; for persons in the demo
 * profiles that is about 1.1 million BSNs per party, so a party with 10 million person records
 * has about 9 records per person.
 */
public final class SyntheticFederation {

  /** The first line of every file. */
  public static final String CSV_HEADER = "subject_type,identifier,category,date,area";
  /** Dates run from {@code referenceDate - (HISTORY_DAYS - 1)} to {@code referenceDate}: six years. */
  public static final int HISTORY_DAYS = 6 * 365 + 1;

  private static final int MAX_SUBJECT_REDRAWS = 64;
  private static final int FLUSH_AT_CHARS = 1 << 15;

  private final long seedKey;
  private final List<PartyProfile> profiles;
  private final Population population;
  private final String[] dates;
  private final List<String> anchorDates;

  /**
   * @param seed any value; each seed is its own population and its own files
   * @param referenceDate the "today" of the generated history
   * @param profiles the parties and what they hold, party ids unique; see {@link #demoProfiles()}
   */
  public SyntheticFederation(long seed, LocalDate referenceDate, List<PartyProfile> profiles) {
    Objects.requireNonNull(referenceDate, "referenceDate");
    this.profiles = List.copyOf(Objects.requireNonNull(profiles, "profiles"));
    if (this.profiles.isEmpty()) {
      throw new IllegalArgumentException("expected at least one party profile, found none");
    }
    var ids = new HashSet<String>();
    for (PartyProfile profile : this.profiles) {
      if (!ids.add(profile.party())) {
        throw new IllegalArgumentException("party " + profile.party() + " has two profiles");
      }
    }
    this.seedKey = Draws.key(seed, 0x736368616b656cL);
    this.population = new Population(seed);
    this.dates = new String[HISTORY_DAYS];
    for (int d = 0; d < HISTORY_DAYS; d++) {
      dates[d] = referenceDate.minusDays(d).toString();
    }
    var anchorDates = new ArrayList<String>();
    for (var anchor : ScenarioAnchors.records()) {
      anchorDates.add(referenceDate.minusDays(anchor.daysBeforeReference()).toString());
    }
    this.anchorDates = List.copyOf(anchorDates);
  }

  /** The eight parties of the demo federation and the categories the demo convenant names. */
  public static List<PartyProfile> demoProfiles() {
    var person = SubjectType.PERSON;
    var address = SubjectType.ADDRESS;
    var organisation = SubjectType.ORGANISATION;
    return List.of(
        new PartyProfile("politie", List.of(
            CategorySpec.of("incident.huiselijk-geweld", person, 5),
            CategorySpec.of("incident.drugs", address, 3),
            CategorySpec.of("signaal.ondermijning", address, organisation, 2))),
        new PartyProfile("veilig-thuis", List.of(CategorySpec.of("melding", person, 1))),
        new PartyProfile("woningcorporatie", List.of(
            CategorySpec.of("huurcontract", person, address, 6),
            CategorySpec.of("overlast", person, 3))),
        new PartyProfile("belastingdienst", List.of(CategorySpec.of("fiscaal-signaal", organisation, 1))),
        new PartyProfile("ggz", List.of(CategorySpec.of("behandeling", person, 1))),
        new PartyProfile("sociaal-domein", List.of(
            CategorySpec.of("hulpverlening", person, 5),
            CategorySpec.of("schuldhulp", person, 4),
            CategorySpec.of("minderjarige-ingeschreven", address, 2))),
        new PartyProfile("reclassering", List.of(CategorySpec.of("toezicht", person, 1))),
        new PartyProfile("gemeente-oov", List.of(
            CategorySpec.of("sluiting-13b", address, 1),
            CategorySpec.of("bibob-onderzoek", organisation, 2))));
  }

  /** The profiles this federation was built with, in the given order. */
  public List<PartyProfile> profiles() {
    return profiles;
  }

  /** The anchor records {@link #write} puts at the top of {@code party}'s file. */
  public List<ScenarioAnchors.AnchorRecord> anchorsOf(String party) {
    return ScenarioAnchors.recordsFor(profile(party));
  }

  /**
   * Writes {@code party}'s file: header, its anchor records, then {@code records} population
   * records. Replaces an existing file.
   *
   * @return the number of data lines written: anchors plus {@code records}
   * @throws IllegalArgumentException if the party has no profile or {@code records} is negative
   */
  public long write(String party, long records, Path csvFile) throws IOException {
    checkRequest(party, records); // before the file is created or truncated
    try (Writer out = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8)) {
      return write(party, records, out);
    }
  }

  /** As {@link #write(String, long, Path)}, to any writer; does not close it. */
  public long write(String party, long records, Writer out) throws IOException {
    PartyProfile profile = checkRequest(party, records);
    var line = new StringBuilder(FLUSH_AT_CHARS + 256);
    line.append(CSV_HEADER).append('\n');
    long written = 0;
    List<ScenarioAnchors.AnchorRecord> all = ScenarioAnchors.records();
    for (int i = 0; i < all.size(); i++) {
      var anchor = all.get(i);
      if (anchor.party().equals(party) && profile.holds(anchor.category(), anchor.subjectType())) {
        line.append(anchor.subjectType().csvName()).append(',').append(anchor.identifier())
            .append(',').append(anchor.category()).append(',').append(anchorDates.get(i))
            .append(',').append(anchor.area()).append('\n');
        written++;
      }
    }
    var generator = new PartyGenerator(profile, records);
    var draws = new Draws();
    long partyKey = Draws.key(seedKey, Draws.key(party));
    for (long r = 0; r < records; r++) {
      draws.reset(Draws.key(partyKey, r));
      generator.appendRecord(draws, line);
      if (line.length() >= FLUSH_AT_CHARS) {
        out.append(line);
        line.setLength(0);
      }
    }
    out.append(line);
    out.flush();
    return written + records;
  }

  /**
   * Writes {@code <party>.csv} for every profile into {@code dataDir}, creating it if needed.
   *
   * @return per party, in profile order, the data lines written
   */
  public Map<String, Long> writeAll(Path dataDir, long recordsPerParty) throws IOException {
    Files.createDirectories(dataDir);
    var written = new LinkedHashMap<String, Long>();
    for (PartyProfile profile : profiles) {
      String party = profile.party();
      written.put(party, write(party, recordsPerParty, dataDir.resolve(party + ".csv")));
    }
    return Collections.unmodifiableMap(written);
  }

  private PartyProfile checkRequest(String party, long records) {
    PartyProfile profile = profile(party);
    if (records < 0) {
      throw new IllegalArgumentException("records must be 0 or more, found " + records);
    }
    return profile;
  }

  private PartyProfile profile(String party) {
    Objects.requireNonNull(party, "party");
    for (PartyProfile profile : profiles) {
      if (profile.party().equals(party)) {
        return profile;
      }
    }
    throw new IllegalArgumentException("no profile for party '" + party + "'; expected one of "
        + profiles.stream().map(PartyProfile::party).toList());
  }

  /** The per-write state of one party: its categories and, per subject type, where to draw. */
  private final class PartyGenerator {
    private final CategorySpec[] categories;
    private final SubjectType[][] types;
    private final int[] cumulativeWeights;
    private final int[] reservedBuurt;
    private final SharingPlan[] plans = new SharingPlan[SubjectType.values().length];
    private final int[] positions = new int[SubjectType.values().length];
    private final int[] exclusivePools = new int[SubjectType.values().length];

    PartyGenerator(PartyProfile profile, long records) {
      int n = profile.categories().size();
      categories = profile.categories().toArray(new CategorySpec[0]);
      types = new SubjectType[n][];
      cumulativeWeights = new int[n];
      reservedBuurt = new int[n];
      int total = 0;
      for (int c = 0; c < n; c++) {
        types[c] = categories[c].subjectTypes().toArray(new SubjectType[0]);
        total += categories[c].weight();
        cumulativeWeights[c] = total;
        reservedBuurt[c] = Population.NO_BUURT;
        for (var reservation : ScenarioAnchors.AREA_RESERVED) {
          if (reservation.party().equals(profile.party())
              && reservation.category().equals(categories[c].category())) {
            reservedBuurt[c] = Buurten.indexOf(reservation.area());
          }
        }
      }
      for (SubjectType type : SubjectType.values()) {
        var shares = new ArrayList<Double>();
        int position = -1;
        for (PartyProfile holder : profiles) {
          double share = share(holder, type);
          if (share > 0) {
            if (holder.party().equals(profile.party())) {
              position = shares.size();
            }
            shares.add(share);
          }
        }
        if (position >= 0) {
          plans[type.ordinal()] = SharingPlan.create(type, seedKey, shares, records);
          positions[type.ordinal()] = position;
          exclusivePools[type.ordinal()] =
              plans[type.ordinal()].exclusivePool(records * shares.get(position));
        }
      }
    }

    void appendRecord(Draws draws, StringBuilder out) {
      int c = pickCategory(draws);
      SubjectType[] choices = types[c];
      SubjectType type = choices.length == 1 ? choices[0] : choices[draws.below(choices.length)];
      int t = type.ordinal();
      int subject = plans[t].draw(positions[t], exclusivePools[t], draws);
      int buurt = population.buurt(type, subject);
      // Keeps the anchored area counts exact: a subject from the reserved buurt is redrawn. With
      // 40 buurten, 64 misses in a row has probability 1e-103; the fallback drops the area.
      for (int attempt = 1; buurt == reservedBuurt[c] && buurt != Population.NO_BUURT; attempt++) {
        if (attempt > MAX_SUBJECT_REDRAWS) {
          buurt = Population.NO_BUURT;
          break;
        }
        subject = plans[t].draw(positions[t], exclusivePools[t], draws);
        buurt = population.buurt(type, subject);
      }
      out.append(type.csvName()).append(',');
      population.appendIdentifier(type, subject, out);
      out.append(',').append(categories[c].category())
          .append(',').append(dates[draws.below(HISTORY_DAYS)])
          .append(',');
      if (buurt != Population.NO_BUURT) {
        out.append(Buurten.CODES.get(buurt));
      }
      out.append('\n');
    }

    private int pickCategory(Draws draws) {
      int x = draws.below(cumulativeWeights[cumulativeWeights.length - 1]);
      int c = 0;
      while (x >= cumulativeWeights[c]) {
        c++;
      }
      return c;
    }
  }

  /** The expected share of {@code profile}'s records that are about {@code type}. */
  private static double share(PartyProfile profile, SubjectType type) {
    double total = profile.categories().stream().mapToInt(CategorySpec::weight).sum();
    double share = 0;
    for (CategorySpec spec : profile.categories()) {
      if (spec.subjectTypes().contains(type)) {
        share += spec.weight() / total / spec.subjectTypes().size();
      }
    }
    return share;
  }
}
