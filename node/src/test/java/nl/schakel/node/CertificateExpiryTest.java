package nl.schakel.node;

import nl.schakel.trust.pki.CertificateExpiry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import nl.schakel.trust.pki.FederationCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators hear that a certificate runs out well before the node drops out of the federation. */
class CertificateExpiryTest {
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  @TempDir
  Path dir;

  /** A federation whose CA lives a year and whose party certificates were issued to last {@code days}. */
  private NodeConfig.Pki pkiExpiringIn(long days) throws Exception {
    Clock issued = Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC);
    FederationCa ca = FederationCa.create("test", issued, Duration.ofDays(365), new SecureRandom());
    ca.writeTo(dir.resolve("ca"));
    ca.issue("politie", issued, Duration.ofDays(days + 1)).writeTo(dir.resolve("politie"));
    ca.issue(NodePki.GATEWAY, issued, Duration.ofDays(200)).writeTo(dir.resolve("gateway"));
    return new NodeConfig.Pki(dir.resolve("politie"), dir.resolve("ca").resolve(FederationCa.CERT_FILE),
        dir.resolve("gateway").resolve("signing.cert.pem"));
  }

  @Test
  void warnsOfEachOwnCertificateExpiringWithinThirtyDaysNamingFilePartyDateAndDaysLeft() throws Exception {
    NodePki pki = NodePki.load("politie", pkiExpiringIn(10), NOW);

    assertThat(Node.warnOfExpiry("politie", pki.expiry(), NOW)).containsExactlyInAnyOrder(
        "certificate " + dir.resolve("politie/tls.cert.pem") + " of party politie expires on 2026-12-09 (in 10 days)",
        "certificate " + dir.resolve("politie/signing.cert.pem")
            + " of party politie expires on 2026-12-09 (in 10 days)");
  }

  @Test
  void warnsOfAPeerCertificateOnceItComesWithinThirtyDays() throws Exception {
    NodePki pki = NodePki.load("politie", pkiExpiringIn(300), NOW);
    Instant later = NOW.plus(Duration.ofDays(180));

    assertThat(pki.expiry().warnings(NOW)).isEmpty();
    assertThat(pki.expiry().warnings(later)).containsExactly(
        "certificate " + dir.resolve("gateway/signing.cert.pem") + " of party gateway expires on 2027-06-16 (in 19 days)");
  }

  @Test
  void saysExpiredOnceACertificateHasRunOut() throws Exception {
    NodePki pki = NodePki.load("politie", pkiExpiringIn(10), NOW);

    assertThat(pki.expiry().warnings(NOW.plus(Duration.ofDays(12))))
        .contains("certificate " + dir.resolve("politie/tls.cert.pem")
            + " of party politie expired on 2026-12-09 (2 days ago)");
  }
}
