package nl.schakel.trust.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.schakel.trust.identifier.Identifier;
import nl.schakel.trust.identifier.IdentifierForm;

/**
 * Pseudonymises with HMAC-SHA256 over a domain-separated input:
 *
 * <pre>HMAC-SHA256(key, "schakel/v1/" + purpose + "/" + form.domain() + 0x00 + UTF-8(canonical))</pre>
 *
 * <p>The purpose label and form domain make pseudonyms of the same digits under different
 * purposes or forms unrelated, even if the same key were (wrongly) used for both. The label and
 * domain never contain "/" or NUL and canonical text never contains NUL, so every input parses
 * back to exactly one (purpose, form, canonical) triple. Thread-safe.
 */
public final class HmacPseudonymiser implements Pseudonymiser {

  /** Versioned so a future scheme change cannot collide with today's pseudonyms. */
  static final String PREFIX = "schakel/v1/";

  /** Ends the domain; canonical identifier text never contains NUL. */
  private static final byte SEPARATOR = 0x00;
  private static final String ALGORITHM = "HmacSHA256";
  private static final Pattern PURPOSE_LABEL = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");

  private final String purposeLabel;
  /** "schakel/v1/{purpose}/{domain}" per form, encoded once rather than per identifier. */
  private final Map<IdentifierForm, byte[]> domainByForm;
  // A Mac is stateful and not thread-safe; one per thread avoids both locking and the cost of
  // Mac.getInstance on every record of a multi-million-record ingest.
  private final ThreadLocal<Mac> mac;

  private HmacPseudonymiser(PseudonymKey key, String purposeLabel) {
    this.purposeLabel = purposeLabel;
    EnumMap<IdentifierForm, byte[]> domains = new EnumMap<>(IdentifierForm.class);
    for (IdentifierForm form : IdentifierForm.values()) {
      domains.put(form, (PREFIX + purposeLabel + "/" + form.domain()).getBytes(StandardCharsets.UTF_8));
    }
    this.domainByForm = domains;
    SecretKeySpec secret = new SecretKeySpec(key.material(), ALGORITHM);
    newMac(secret); // fail at construction, not on the first identifier
    this.mac = ThreadLocal.withInitial(() -> newMac(secret));
  }

  /**
   * A pseudonymiser for one purpose: "matching" (key shared by gateway and nodes) or "audit"
   * (the gateway's log key).
   *
   * @param purposeLabel lower-case letters, digits and hyphens, starting with a letter, at most
   *     32 characters
   * @throws IllegalArgumentException if the label does not have that shape
   */
  public static HmacPseudonymiser create(PseudonymKey key, String purposeLabel) {
    Objects.requireNonNull(key, "key");
    if (purposeLabel == null || !PURPOSE_LABEL.matcher(purposeLabel).matches()) {
      throw new IllegalArgumentException(
          "purpose label must match " + PURPOSE_LABEL.pattern() + ", e.g. \"matching\" or \"audit\"");
    }
    return new HmacPseudonymiser(key, purposeLabel);
  }

  @Override
  public Pseudonym pseudonymise(Identifier id) {
    Objects.requireNonNull(id, "id");
    // Build the whole input before touching the Mac, so a failure cannot leave a thread's Mac
    // holding half an input that would corrupt the next pseudonym.
    byte[] domain = domainByForm.get(id.form());
    byte[] canonical = id.canonical().getBytes(StandardCharsets.UTF_8);
    Mac m = mac.get();
    m.update(domain);
    m.update(SEPARATOR);
    m.update(canonical);
    return Pseudonym.of(m.doFinal());
  }

  private static Mac newMac(SecretKeySpec secret) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(secret);
      return m;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide HmacSHA256, so this is a broken JRE.
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "HmacPseudonymiser[purpose=" + purposeLabel + "]";
  }
}
