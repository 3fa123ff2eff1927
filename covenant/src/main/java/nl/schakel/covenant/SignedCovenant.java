package nl.schakel.covenant;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A convenant together with the check of its signatures: the one place that decides whether a
 * version is in force (ARCHITECTURE.md "Identity, keys and trust"): only when its validity
 * window includes the day <em>and</em> every party named in it has signed that exact canonical
 * hash. Obtained from {@link #load(Path, PartyKeys)} or {@link #verify(Covenant,
 * CovenantSignatures, PartyKeys)}; neither returns a convenant whose text was changed after
 * signing.
 */
public final class SignedCovenant {

  private final Covenant covenant;
  private final SignatureCheck signatures;

  private SignedCovenant(Covenant covenant, SignatureCheck signatures) {
    this.covenant = covenant;
    this.signatures = signatures;
  }

  /**
   * Reads {@code yaml}, its signatures beside it ({@link CovenantSignatures#sigsFileFor(Path)};
   * none if that file does not exist) and checks them against {@code keys}. Missing signatures
   * or unknown keys are not errors: the result is simply not in force.
   *
   * @throws CovenantValidationException if the convenant file is invalid
   * @throws CovenantSignaturesException if the signature file breaks its format
   * @throws TamperedCovenantException if some party's signature by its own key does not match the
   *     text; the message names those parties
   * @throws IOException if the signature file exists but cannot be read
   */
  public static SignedCovenant load(Path yaml, PartyKeys keys)
      throws CovenantValidationException, CovenantSignaturesException, TamperedCovenantException,
          IOException {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(keys, "keys");
    Covenant covenant = CovenantParser.parse(yaml);
    Path sigsFile = CovenantSignatures.sigsFileFor(yaml);
    CovenantSignatures signatures = CovenantSignatures.read(sigsFile, covenant);
    return verify(covenant, signatures, keys);
  }

  /**
   * Checks {@code signatures} of an already parsed convenant.
   *
   * @throws TamperedCovenantException as {@link #load(Path, PartyKeys)}
   */
  public static SignedCovenant verify(Covenant covenant, CovenantSignatures signatures, PartyKeys keys)
      throws TamperedCovenantException {
    SignatureCheck check = SignatureCheck.of(covenant, signatures, keys);
    if (check.tampered()) {
      throw new TamperedCovenantException(covenant.source(), check);
    }
    return new SignedCovenant(covenant, check);
  }

  /**
   * The canonical hash the signatures were checked against (a copy): the value every question and
   * answer names. Computed once at load: serialising a whole convenant per question (RFC 8785) was
   * a measurable share of a gateway's CPU (docs/performance.md).
   */
  public byte[] hash() {
    return java.util.HexFormat.of().parseHex(signatures.hashHex());
  }

  /** The convenant. Build an {@link Evaluator} from it only while {@link #inForceAt} holds. */
  public Covenant covenant() {
    return covenant;
  }

  /** Which parties signed, per party. */
  public SignatureCheck signatures() {
    return signatures;
  }

  /**
   * Whether the version is in force at {@code now}: the Europe/Amsterdam day lies within {@code
   * valid} (both ends inclusive) and every party named in it validly signed it.
   */
  public boolean inForceAt(Instant now) {
    return covenant.inForceAt(now) && signatures.complete();
  }

  /**
   * Why it is not in force at {@code now}, for people; empty when it is. Names both reasons when
   * both hold, e.g. {@code "not yet valid on 2025-12-31: valid from 2026-01-01 until 2027-12-31 (inclusive,
   * Europe/Amsterdam); missing signatures: zvh, riec"}.
   */
  public Optional<String> whyNotInForceAt(Instant now) {
    Objects.requireNonNull(now, "now");
    List<String> reasons = new ArrayList<>();
    LocalDate day = Covenant.dayOf(now);
    if (!covenant.inForceOn(day)) {
      String window =
          "valid from " + covenant.validFrom() + " until " + covenant.validUntil()
              + " (inclusive, Europe/Amsterdam)";
      reasons.add(
          (day.isBefore(covenant.validFrom()) ? "not yet valid on " : "expired on ") + day + ": "
              + window);
    }
    if (!signatures.missing().isEmpty()) {
      reasons.add("missing signatures: " + String.join(", ", signatures.missing()));
    }
    if (!signatures.invalid().isEmpty()) {
      reasons.add("invalid signatures: " + String.join(", ", signatures.invalid()));
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  @Override
  public String toString() {
    return "SignedCovenant[" + covenant.label() + ", " + signatures.summary() + "]";
  }
}
