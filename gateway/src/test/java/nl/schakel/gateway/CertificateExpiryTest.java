package nl.schakel.gateway;

import nl.schakel.trust.pki.CertificateExpiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import nl.schakel.trust.pki.FederationCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators hear that a certificate runs out before the federation stops working. */
class CertificateExpiryTest {
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  @TempDir
  Path dir;

  /** The gateway's PKI where the gateway's own certificates last a year and politie's signing cert {@code days}. */
  private GatewayPki pkiWithPolitieExpiringIn(long days) throws Exception {
    Clock issued = Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC);
    FederationCa ca = FederationCa.create("test", issued, Duration.ofDays(400), new SecureRandom());
    ca.writeTo(dir.resolve("ca"));
    ca.issue(GatewayPki.GATEWAY, issued, Duration.ofDays(366)).writeTo(dir.resolve("gateway"));
    ca.issue("politie", issued, Duration.ofDays(days + 1)).writeTo(dir.resolve("politie"));
    GatewayConfig config = new GatewayConfig("test", new GatewayConfig.Listen("127.0.0.1", 0), Duration.ofSeconds(2),
        List.of(new GatewayConfig.NodeEndpoint("politie", "127.0.0.1:1",
            Optional.of(dir.resolve("politie/signing.cert.pem")))),
        List.of(dir.resolve("c.yaml")), dir, dir, dir, dir.resolve("audit"),
        List.of(new GatewayConfig.Analysts("zvh", "i", "a", List.of(dir), Optional.empty())),
        new GatewayConfig.Pki(dir.resolve("gateway"), dir.resolve("ca").resolve(FederationCa.CERT_FILE)));
    return GatewayPki.load(config, NOW);
  }

  @Test
  void warnsOfANodesSigningCertificateExpiringWithinThirtyDays() throws Exception {
    GatewayPki pki = pkiWithPolitieExpiringIn(10);

    assertThat(Gateway.warnOfExpiry(pki.expiry(), NOW)).containsExactly("certificate "
        + dir.resolve("politie/signing.cert.pem") + " of party politie expires on 2026-12-09 (in 10 days)");
  }

  @Test
  void warnsOfItsOwnCertificatesOnceTheyComeWithinThirtyDays() throws Exception {
    GatewayPki pki = pkiWithPolitieExpiringIn(100);

    assertThat(pki.expiry().warnings(NOW)).isEmpty();
    // politie's certificate has long expired by then and is reported as such, first.
    assertThat(pki.expiry().warnings(NOW.plus(Duration.ofDays(340)))).containsExactly(
        "certificate " + dir.resolve("politie/signing.cert.pem")
            + " of party politie expired on 2027-03-09 (240 days ago)",
        "certificate " + dir.resolve("gateway/tls.cert.pem") + " of party gateway expires on 2027-11-29 (in 25 days)",
        "certificate " + dir.resolve("gateway/signing.cert.pem")
            + " of party gateway expires on 2027-11-29 (in 25 days)");
  }

  @Test
  void readinessNamesTheSoonestExpiryAndWhetherToRenew() throws Exception {
    CertificateExpiry.Watched soonest = pkiWithPolitieExpiringIn(10).expiry().soonest().orElseThrow();

    assertThat(Gateway.certificates(soonest, NOW))
        .isEqualTo("renew: soonest expiry in 10 days (signing.cert.pem of party politie)");
    assertThat(Gateway.certificates(soonest, NOW.minus(Duration.ofDays(30))))
        .isEqualTo("valid: soonest expiry in 40 days (signing.cert.pem of party politie)");
    assertThat(Gateway.certificates(soonest, NOW.plus(Duration.ofDays(12))))
        .isEqualTo("expired: signing.cert.pem of party politie expired 2 days ago");
  }

  @Test
  void readyReportsTheCertificatesCheck() throws Exception {
    try (TestFederation fed = new TestFederation(dir, FailingPartiesTest.records(), Duration.ofSeconds(5), null)) {
      HttpResponse<String> ready = fed.get("/health/ready");

      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("certificates"))
          .startsWith("valid: soonest expiry in ");
    }
  }

  @Test
  void metricsShowDaysUntilEachCertificateExpiresToLoopbackCallers() throws Exception {
    try (TestFederation fed = new TestFederation(dir, FailingPartiesTest.records(), Duration.ofSeconds(5), null)) {
      HttpResponse<String> metrics = fed.get("/metrics");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("# TYPE schakel_certificate_expiry_days gauge")
          .containsPattern("schakel_certificate_expiry_days\\{party=\"politie\",file=\"signing.cert.pem\"\\} -?\\d+")
          .doesNotContain("999990019");
    }
  }
}
