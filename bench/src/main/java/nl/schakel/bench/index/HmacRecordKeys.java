package nl.schakel.bench.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.schakel.node.index.RecordKeys;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.Pseudonym;

/**
 * Record keys computed as the node's CellKeys computes them (HMAC-SHA256 over the same input
 * layout), so the benchmark's build time includes the real per-record key cost. The node's class
 * is package-private; this copy serves measurement only. Single-threaded.
 */
final class HmacRecordKeys implements RecordKeys {
  private static final byte[] DOMAIN = "schakel/v1/cell-key/record".getBytes(StandardCharsets.UTF_8);

  private final Mac mac;

  HmacRecordKeys(byte[] secret) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
    }
  }

  @Override
  public int key(IdentifierForm form, Pseudonym subject, String category, LocalDate date, String area, int ordinal) {
    byte[] form8 = form.domain().getBytes(StandardCharsets.UTF_8);
    byte[] category8 = category.getBytes(StandardCharsets.UTF_8);
    byte[] date8 = date.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] area8 = area.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer in = ByteBuffer.allocate(DOMAIN.length + form8.length + Pseudonym.LENGTH + category8.length
        + date8.length + area8.length + 5 + Integer.BYTES);
    in.put(DOMAIN).put((byte) 0).put(form8).put((byte) 0).put(subject.bytes())
        .put(category8).put((byte) 0).put(date8).put((byte) 0).put(area8).put((byte) 0).putInt(ordinal);
    return ByteBuffer.wrap(mac.doFinal(in.array()), 0, Integer.BYTES).getInt();
  }
}
