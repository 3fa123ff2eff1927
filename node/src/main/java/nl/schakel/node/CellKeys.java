package nl.schakel.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;
import nl.schakel.trust.pseudonym.PseudonymKey;

/**
 * Record keys for cell-key perturbation of counts (the ABS / Eurostat cell-key method). Every
 * record gets a key in [0, 1), held as 32 bits: HMAC-SHA256 under this node's own secret over the
 * record's stable identity
 *
 * <pre>"schakel/v1/cell-key/record" 0x00 form 0x00 pseudonym(32) category 0x00 date 0x00 area 0x00 ordinal(4, big endian)</pre>
 *
 * where the ordinal numbers otherwise identical rows (0, 1, ...), so twelve identical rows are twelve
 * records with twelve keys. Nothing in the identity depends on row order, so rereading the same
 * records in another order gives the same keys, hence the same noise.
 *
 * <p>The secret is the node's alone (file {@code cell-key}, default {@code cell.key} beside the
 * matching key, created on first start). Without it nobody, the gateway included, can predict the
 * noise from the records, so the noise cannot be subtracted out.
 */
final class CellKeys {
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] DOMAIN = "schakel/v1/cell-key/record".getBytes(StandardCharsets.UTF_8);
  private static final byte SEPARATOR = 0x00;

  // A Mac is stateful; one per thread keeps a future parallel ingest correct without locks.
  private final ThreadLocal<Mac> mac;

  private CellKeys(byte[] secret) {
    SecretKeySpec spec = new SecretKeySpec(secret, ALGORITHM);
    newMac(spec); // fail at start, not on the first record
    this.mac = ThreadLocal.withInitial(() -> newMac(spec));
  }

  /**
   * Reads the node's cell-key secret, creating it (mode 0600, trust's key-file format: base64 of
   * 32 bytes) if the file does not exist yet.
   *
   * @throws IOException if the file exists but is not a key file; the message names the file only
   */
  static CellKeys loadOrCreate(Path file, SecureRandom random) throws IOException {
    if (!Files.exists(file)) {
      try {
        PseudonymKey.generate(random).writeTo(file);
      } catch (FileAlreadyExistsException e) {
        // Another node sharing this directory created it a moment ago: use theirs.
      }
    }
    // trust validates the format and words the errors; it keeps key material to itself, so the
    // bytes are decoded here once more (same format: base64 of 32 bytes on one line).
    PseudonymKey.readFrom(file);
    return new CellKeys(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip()));
  }

  /** Keys from a given secret; for tests that need two nodes with the same secret. */
  static CellKeys of(byte[] secret) {
    if (secret.length != PseudonymKey.LENGTH) {
      throw new IllegalArgumentException("cell-key secret must be " + PseudonymKey.LENGTH + " bytes, found " + secret.length);
    }
    return new CellKeys(secret.clone());
  }

  /**
   * The key of one record: the first 32 bits of the HMAC, read as a fraction of 2^32.
   *
   * @param area the CBS code, or "" when the record has none
   * @param ordinal 0 for the first of otherwise identical records, 1 for the next, and so on
   */
  int recordKey(IdentifierForm form, Pseudonym subject, String category, LocalDate date, String area, int ordinal) {
    // Build the whole input first, so a failure cannot leave half an input in this thread's Mac.
    byte[] form8 = form.domain().getBytes(StandardCharsets.UTF_8);
    byte[] category8 = category.getBytes(StandardCharsets.UTF_8);
    byte[] date8 = date.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] area8 = area.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer in = ByteBuffer.allocate(DOMAIN.length + form8.length + Pseudonym.LENGTH + category8.length
        + date8.length + area8.length + 5 + Integer.BYTES);
    in.put(DOMAIN).put(SEPARATOR).put(form8).put(SEPARATOR).put(subject.bytes())
        .put(category8).put(SEPARATOR).put(date8).put(SEPARATOR).put(area8).put(SEPARATOR).putInt(ordinal);
    byte[] out = mac.get().doFinal(in.array());
    return ByteBuffer.wrap(out, 0, Integer.BYTES).getInt();
  }

  private static Mac newMac(SecretKeySpec spec) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(spec);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "CellKeys[redacted]";
  }
}
