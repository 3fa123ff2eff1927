package nl.schakel.covenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * Which parties of a convenant have validly signed its canonical hash: the signature half of
 * "in force" (the dates are the other, see {@link SignedCovenant}). Obtained only from {@link
 * #of(Covenant, CovenantSignatures, PartyKeys)}, so a result always comes from real verification.
 */
public final class SignatureCheck {

  /** One party's state, in the convenant's party order. */
  public sealed interface PartyStatus permits Signed, Missing, Invalid {
    /** The party it is about. */
    String party();
  }

  /** The party signed this exact text with one of its keys. */
  public record Signed(String party, KeyId keyId) implements PartyStatus {
    public Signed {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(keyId, "keyId");
    }
  }

  /** The signature file has no line for the party. */
  public record Missing(String party) implements PartyStatus {
    public Missing {
      Objects.requireNonNull(party, "party");
    }
  }

  /**
   * The party's line does not count.
   *
   * @param party the party
   * @param keyId the key id its line names
   * @param problem why
   * @param detail for people: what is wrong and what to do
   */
  public record Invalid(String party, KeyId keyId, Problem problem, String detail)
      implements PartyStatus {
    public Invalid {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Why a signature line does not count. */
  public enum Problem {
    /**
     * The key is the party's, but the signature is not over this text: the convenant changed
     * after the party signed (or the signature was altered). Loading fails loudly on this.
     */
    SIGNATURE_MISMATCH,
    /** The key id is none of the party's known keys (not yet distributed, retired, or foreign). */
    UNKNOWN_KEY
  }

  private final String covenantLabel;
  private final String hashHex;
  private final List<PartyStatus> parties;

  private SignatureCheck(String covenantLabel, String hashHex, List<PartyStatus> parties) {
    this.covenantLabel = covenantLabel;
    this.hashHex = hashHex;
    this.parties = List.copyOf(parties);
  }

  /**
   * Checks, for every party of {@code covenant}, its line in {@code signatures} against its keys
   * in {@code keys}: the key id must be one of the party's keys (a party cannot sign with
   * another's), and the signature must verify over {@link Covenant#canonicalHash()}.
   *
   * @throws IllegalArgumentException if {@code signatures} were read for another convenant
   */
  public static SignatureCheck of(Covenant covenant, CovenantSignatures signatures, PartyKeys keys) {
    Objects.requireNonNull(covenant, "covenant");
    Objects.requireNonNull(signatures, "signatures");
    Objects.requireNonNull(keys, "keys");
    if (!signatures.covenant().equals(covenant)) {
      throw new IllegalArgumentException(
          "signatures were read for convenant " + signatures.covenant().label() + ", not for this "
              + covenant.label());
    }
    byte[] hash = covenant.canonicalHash();
    List<PartyStatus> statuses = new ArrayList<>();
    for (String party : covenant.parties().keySet()) {
      Optional<PartySignature> line = signatures.of(party);
      statuses.add(line.isEmpty() ? new Missing(party) : check(line.get(), hash, keys));
    }
    return new SignatureCheck(covenant.label(), covenant.canonicalHashHex(), statuses);
  }

  private static PartyStatus check(PartySignature line, byte[] hash, PartyKeys keys) {
    String party = line.party();
    List<VerifyingKey> known = Objects.requireNonNull(keys.keysOf(party), "keysOf returned null");
    Optional<VerifyingKey> key =
        known.stream().filter(k -> k.keyId().equals(line.keyId())).findFirst();
    if (key.isEmpty()) {
      String detail =
          known.isEmpty()
              ? "signed with key " + line.keyId() + ", but no public key of " + party + " is known"
              : "signed with key " + line.keyId() + ", which is not one of " + party + "'s keys ("
                  + known.stream().map(k -> k.keyId().value()).collect(Collectors.joining(", "))
                  + ")";
      return new Invalid(party, line.keyId(), Problem.UNKNOWN_KEY, detail);
    }
    try {
      key.get().verify(hash, line.signature());
      return new Signed(party, line.keyId());
    } catch (InvalidSignatureException e) {
      return new Invalid(
          party,
          line.keyId(),
          Problem.SIGNATURE_MISMATCH,
          "the signature by key " + line.keyId() + " does not match this text: it was changed"
              + " after " + party + " signed, or the signature was altered");
    }
  }

  /** {@code "zvo-midden v3"}. */
  public String covenantLabel() {
    return covenantLabel;
  }

  /** The canonical hash that was checked, lower-case hex. */
  public String hashHex() {
    return hashHex;
  }

  /** Every party's state, in the convenant's party order. */
  public List<PartyStatus> parties() {
    return parties;
  }

  /** Whether every party named in the convenant validly signed it. */
  public boolean complete() {
    return parties.stream().allMatch(Signed.class::isInstance);
  }

  /** Parties without a signature line, in party order. */
  public List<String> missing() {
    return parties.stream().filter(Missing.class::isInstance).map(PartyStatus::party).toList();
  }

  /** Parties whose line does not count, in party order. */
  public List<String> invalid() {
    return parties.stream().filter(Invalid.class::isInstance).map(PartyStatus::party).toList();
  }

  /**
   * Parties whose signature, by one of their own keys, does not match the text: evidence that the
   * file was changed after they signed.
   */
  public List<String> mismatched() {
    return parties.stream()
        .filter(s -> s instanceof Invalid i && i.problem() == Problem.SIGNATURE_MISMATCH)
        .map(PartyStatus::party)
        .toList();
  }

  /** Whether any signature shows the text was changed after signing. */
  public boolean tampered() {
    return !mismatched().isEmpty();
  }

  /**
   * One line for people, e.g. {@code "signed by all 8 parties"} or {@code "signed by 6 of 8
   * parties; missing: zvh; invalid: politie"}.
   */
  public String summary() {
    long signed = parties.stream().filter(Signed.class::isInstance).count();
    if (complete()) {
      return "signed by all " + parties.size() + (parties.size() == 1 ? " party" : " parties");
    }
    StringBuilder b =
        new StringBuilder("signed by ").append(signed).append(" of ").append(parties.size())
            .append(parties.size() == 1 ? " party" : " parties");
    if (!missing().isEmpty()) {
      b.append("; missing: ").append(String.join(", ", missing()));
    }
    if (!invalid().isEmpty()) {
      b.append("; invalid: ").append(String.join(", ", invalid()));
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "SignatureCheck[" + covenantLabel + ", " + summary() + "]";
  }
}
