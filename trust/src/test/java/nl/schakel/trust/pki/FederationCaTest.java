package nl.schakel.trust.pki;

import static nl.schakel.trust.pki.Fixtures.NOW;
import static nl.schakel.trust.pki.Fixtures.at;
import static nl.schakel.trust.pki.Fixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuing: what the CA and party certificates contain, and how they are stored. */
class FederationCaTest {

  private static final Duration YEAR = Duration.ofDays(365);

  @TempDir Path dir;

  private FederationCa ca;

  @BeforeEach
  void createCa() {
    ca = FederationCa.create("midden", at(NOW), Duration.ofDays(3650), seeded(1));
  }

  @Test
  void theCaIsASelfSignedP256CaThatIssuesOnlyLeafCertificates() throws Exception {
    X509Certificate certificate = ca.certificate();

    assertThat(certificate.getSubjectX500Principal().getName())
        .isEqualTo("CN=Schakel federation CA midden");
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getBasicConstraints()).isZero();
    assertThat(certificate.getKeyUsage())
        .startsWith(false, false, false, false, false, true, true);
    assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
  }

  @Test
  void theTlsCertificateServesBothEndsOfMtlsOnLoopback() throws Exception {
    X509Certificate tls = ca.issue("gateway", at(NOW), YEAR).tlsCertificate();

    assertThat(tls.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(6, "urn:schakel:party:gateway"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(tls.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(tls.getKeyUsage()).startsWith(true, false, false, false, false, false);
    assertThat(tls.getBasicConstraints()).isEqualTo(-1);
    assertThat(tls.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(tls.getNotAfter().toInstant()).isEqualTo(NOW.plus(YEAR));
    tls.verify(ca.certificate().getPublicKey());
  }

  @Test
  void namesExtraHostsInTheTlsCertificate() throws Exception {
    X509Certificate tls =
        ca.issue("zvh", SigningKey.generate(seeded(2)), at(NOW), YEAR,
                Set.of("node.zvh.example", "10.0.0.7"))
            .tlsCertificate();

    assertThat(tls.getSubjectAlternativeNames())
        .contains(List.of(2, "node.zvh.example"), List.of(7, "10.0.0.7"));
  }

  @Test
  void refusesAHostThatIsNeitherADnsNameNorAnIpAddress() {
    assertThatThrownBy(
            () -> ca.issue("zvh", SigningKey.generate(seeded(2)), at(NOW), YEAR, Set.of("bad host/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 'bad host/'");
  }

  @Test
  void refusesAPartyIdThatIsNotOne() {
    assertThatThrownBy(() -> ca.issue("../ca", at(NOW), YEAR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("party must be 1 to 64 of a-z, 0-9 and '-'");
  }

  @Test
  void refusesCertificatesThatWouldOutliveTheCa() {
    assertThatThrownBy(() -> ca.issue("zvh", at(NOW), Duration.ofDays(3651)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would outlive the federation CA");
  }

  @Test
  void everyCertificateGetsItsOwnSerial() {
    PartyCredentials a = ca.issue("zvh", at(NOW), YEAR);
    PartyCredentials b = ca.issue("zvh", at(NOW), YEAR);

    assertThat(Set.of(
            a.tlsCertificate().getSerialNumber(), a.signingCertificate().getSerialNumber(),
            b.tlsCertificate().getSerialNumber(), b.signingCertificate().getSerialNumber(),
            ca.certificate().getSerialNumber()))
        .hasSize(5);
  }

  @Test
  void writesTheCaKeyOwnerOnlyAndLoadsItBack() throws Exception {
    Path caDir = dir.resolve("ca");
    ca.writeTo(caDir);

    FederationCa loaded = FederationCa.load(caDir, seeded(9));
    PartyCredentials riec = loaded.issue("riec", at(NOW), YEAR);

    assertThat(loaded.federation()).isEqualTo("midden");
    assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    assertThat(FederationTrust.of(ca.certificate()).partyOf(riec.tlsCertificate(), NOW))
        .isEqualTo("riec");
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(caDir.resolve(FederationCa.KEY_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToOverwriteAnExistingCa() throws Exception {
    Path caDir = dir.resolve("ca");
    ca.writeTo(caDir);
    String before = Files.readString(caDir.resolve(FederationCa.CERT_FILE));
    FederationCa second = FederationCa.create("midden", at(NOW), Duration.ofDays(3650), seeded(2));

    assertThatThrownBy(() -> second.writeTo(caDir)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(caDir.resolve(FederationCa.CERT_FILE))).isEqualTo(before);
  }

  @Test
  void refusesToLoadACaKeyBesideAnotherCasCertificate() throws Exception {
    ca.writeTo(dir.resolve("a"));
    FederationCa.create("midden", at(NOW), Duration.ofDays(3650), seeded(2)).writeTo(dir.resolve("b"));
    Files.copy(dir.resolve("b").resolve(FederationCa.KEY_FILE), dir.resolve("mixed.key"));
    Files.createDirectories(dir.resolve("mixed"));
    Files.copy(dir.resolve("a").resolve(FederationCa.CERT_FILE),
        dir.resolve("mixed").resolve(FederationCa.CERT_FILE));
    Files.copy(dir.resolve("mixed.key"), dir.resolve("mixed").resolve(FederationCa.KEY_FILE));

    assertThatThrownBy(() -> FederationCa.load(dir.resolve("mixed"), seeded(3)))
        .hasMessageContaining("is not the private key of the CA certificate");
  }

  @Test
  void writesPartyCredentialsAndLoadsThemBack() throws Exception {
    PartyCredentials politie = ca.issue("politie", at(NOW), YEAR);
    Path partyDir = dir.resolve("politie");

    politie.writeTo(partyDir);
    PartyCredentials loaded = PartyCredentials.load(partyDir);

    assertThat(loaded.party()).isEqualTo("politie");
    assertThat(loaded.tlsCertificateChain()).containsExactly(politie.tlsCertificate(), ca.certificate());
    assertThat(loaded.signingCertificate()).isEqualTo(politie.signingCertificate());
    assertThat(loaded.signingKey().verifyingKey()).isEqualTo(politie.signingKey().verifyingKey());
    assertThat(Files.readString(partyDir.resolve(PartyCredentials.TLS_CERT_FILE)))
        .satisfies(text -> assertThat(text.split("-----BEGIN CERTIFICATE-----", -1)).hasSize(3));
    assertThat(Files.readString(partyDir.resolve(PartyCredentials.TLS_KEY_FILE)))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    for (String secret : List.of(PartyCredentials.TLS_KEY_FILE, PartyCredentials.SIGNING_KEY_FILE)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(partyDir.resolve(secret))))
          .as(secret).isEqualTo("rw-------");
    }
  }

  @Test
  void refusesToOverwritePartyCredentials() throws Exception {
    Path partyDir = dir.resolve("politie");
    ca.issue("politie", at(NOW), YEAR).writeTo(partyDir);

    assertThatThrownBy(() -> ca.issue("politie", at(NOW), YEAR).writeTo(partyDir))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void refusesToLoadPartyCredentialsWhoseSigningKeyIsNotTheCertifiedOne() throws Exception {
    Path partyDir = dir.resolve("politie");
    ca.issue("politie", at(NOW), YEAR).writeTo(partyDir);
    Files.delete(partyDir.resolve(PartyCredentials.SIGNING_KEY_FILE));
    SigningKey.generate(seeded(5)).writeTo(partyDir.resolve(PartyCredentials.SIGNING_KEY_FILE));

    assertThatThrownBy(() -> PartyCredentials.load(partyDir))
        .hasMessageContaining("is not the key certified in");
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    PartyCredentials politie = ca.issue("politie", at(NOW), YEAR);

    assertThat(politie.toString()).contains("politie", "redacted").doesNotContain("PRIVATE");
    assertThat(ca.toString()).contains("midden", "redacted");
  }
}
