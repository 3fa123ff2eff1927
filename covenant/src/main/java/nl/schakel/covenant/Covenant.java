package nl.schakel.covenant;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed and validated convenant, format {@code schakel/covenant/v1}. Obtain one from {@link
 * CovenantParser}: this constructor only makes defensive, order-keeping copies and does not
 * re-validate cross references.
 *
 * @param id the convenant id, {@code [a-z0-9-]{3,64}}
 * @param version positive; a new version is a new document that every party signs again
 * @param title human title, usually Dutch
 * @param validFrom first day in force, inclusive, Europe/Amsterdam
 * @param validUntil last day in force, inclusive, Europe/Amsterdam
 * @param retention how long question logs about this convenant are kept, if stated
 * @param parties every party that asks or answers, in file order
 * @param purposes the purposes questions may cite, in file order
 * @param rules who may ask whom about what, in file order
 * @param limits budgets against enumeration, in file order
 * @param refusals hard refusals, stronger than any rule, in file order
 * @param source the file name it was read from, for messages; not part of the hash
 */
public record Covenant(
    String id,
    int version,
    String title,
    LocalDate validFrom,
    LocalDate validUntil,
    Optional<Period> retention,
    Map<String, Party> parties,
    Map<String, Purpose> purposes,
    List<Rule> rules,
    List<Limit> limits,
    List<Refusal> refusals,
    String source) {

  /** The value of the {@code format} key, and the prefix of the canonical hash input. */
  public static final String FORMAT = "schakel/covenant/v1";

  /** The convenant's dates are days in this zone. */
  public static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

  public Covenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validUntil, "validUntil");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(source, "source");
    parties = Ordered.map(parties);
    purposes = Ordered.map(purposes);
    rules = List.copyOf(rules);
    limits = List.copyOf(limits);
    refusals = List.copyOf(refusals);
  }

  /** The calendar day in Europe/Amsterdam at {@code now}: the unit the convenant's dates use. */
  public static LocalDate dayOf(Instant now) {
    return LocalDate.ofInstant(now, ZONE);
  }

  /**
   * Whether {@code dayInAmsterdam} lies within {@code valid.from} and {@code valid.until}, both
   * inclusive. Signatures are a separate condition for being in force, checked by the caller.
   */
  public boolean inForceOn(LocalDate dayInAmsterdam) {
    return !dayInAmsterdam.isBefore(validFrom) && !dayInAmsterdam.isAfter(validUntil);
  }

  /** {@link #inForceOn(LocalDate)} for the Amsterdam day of {@code now}. */
  public boolean inForceAt(Instant now) {
    return inForceOn(dayOf(now));
  }

  /** {@code "zvo-midden v3"}: how messages name this document. */
  public String label() {
    return id + " v" + version;
  }

  /** The party with this id, if it is one. */
  public Optional<Party> party(String partyId) {
    return Optional.ofNullable(parties.get(partyId));
  }

  /** The purpose with this id, if defined. */
  public Optional<Purpose> purpose(String purposeId) {
    return Optional.ofNullable(purposes.get(purposeId));
  }

  /**
   * The RFC 8785 (JCS) serialisation of this convenant's JSON projection, as documented in the
   * module README. Comments, quoting and key order of the YAML do not show in it.
   */
  public String canonicalJson() {
    return CanonicalForm.json(this);
  }

  /**
   * SHA-256 over {@code "schakel/covenant/v1\n"} followed by the UTF-8 bytes of {@link
   * #canonicalJson()}: the value every party signs. A fresh array on every call.
   */
  public byte[] canonicalHash() {
    return CanonicalForm.hash(this);
  }

  /** {@link #canonicalHash()} as lower-case hex. */
  public String canonicalHashHex() {
    return HexFormat.of().formatHex(canonicalHash());
  }
}
