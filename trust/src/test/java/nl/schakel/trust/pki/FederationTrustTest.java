package nl.schakel.trust.pki;

import static nl.schakel.trust.pki.Fixtures.NOW;
import static nl.schakel.trust.pki.Fixtures.at;
import static nl.schakel.trust.pki.Fixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import nl.schakel.trust.pki.UntrustedCertificateException.Reason;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.SigningKey;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node or the gateway believes about a party's certificate, anchored at the CA alone. */
class FederationTrustTest {

  private static final Duration YEAR = Duration.ofDays(365);

  @TempDir Path dir;

  private FederationCa ca;
  private FederationTrust trust;
  private PartyCredentials politie;

  @BeforeEach
  void issuePolitie() {
    ca = FederationCa.create("midden", at(NOW), Duration.ofDays(3650), seeded(1));
    trust = FederationTrust.of(ca.certificate());
    politie = ca.issue("politie", at(NOW), YEAR);
  }

  private static void refused(ThrowingCallable call, Reason reason, String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            UntrustedCertificateException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              for (String part : messageParts) {
                assertThat(e.getMessage()).contains(part);
              }
            });
  }

  @Test
  void acceptsASigningCertificateIssuedByTheCaForThatParty() throws Exception {
    assertThat(trust.certifiedSigningKey(politie.signingCertificate(), "politie", NOW))
        .isEqualTo(politie.signingKey().verifyingKey());
  }

  @Test
  void certifiesAnExistingSigningKeyWhenOneIsGiven() throws Exception {
    SigningKey existing = SigningKey.generate(seeded(7));

    PartyCredentials zvh = ca.issue("zvh", existing, at(NOW), YEAR);

    assertThat(trust.certifiedSigningKey(zvh.signingCertificate(), "zvh", NOW))
        .isEqualTo(existing.verifyingKey());
  }

  @Test
  void refusesACertificateFromAnotherFederationsCa() {
    FederationCa other = FederationCa.create("elders", at(NOW), Duration.ofDays(3650), seeded(2));
    PartyCredentials impostor = other.issue("politie", at(NOW), YEAR);

    refused(
        () -> trust.certifiedSigningKey(impostor.signingCertificate(), "politie", NOW),
        Reason.WRONG_CA, "Schakel federation CA elders", "expected the federation CA");
  }

  @Test
  void refusesACertificateFromAnotherCaThatCopiedTheCasName() {
    // Same subject name, different key: only the signature tells them apart.
    FederationCa lookalike = FederationCa.create("midden", at(NOW), Duration.ofDays(3650), seeded(3));
    PartyCredentials impostor = lookalike.issue("politie", at(NOW), YEAR);

    refused(
        () -> trust.certifiedSigningKey(impostor.signingCertificate(), "politie", NOW),
        Reason.WRONG_CA, "signature does not verify");
  }

  @Test
  void refusesAnExpiredCertificate() {
    Instant afterExpiry = politie.signingCertificate().getNotAfter().toInstant().plusSeconds(1);

    refused(
        () -> trust.certifiedSigningKey(politie.signingCertificate(), "politie", afterExpiry),
        Reason.EXPIRED, "party politie expired at 2027-11-02T09:30:00Z");
  }

  @Test
  void acceptsACertificateOnItsLastSecond() throws Exception {
    Instant lastSecond = politie.signingCertificate().getNotAfter().toInstant();

    assertThat(trust.certifiedSigningKey(politie.signingCertificate(), "politie", lastSecond))
        .isEqualTo(politie.signingKey().verifyingKey());
  }

  @Test
  void refusesACertificateThatIsNotYetValid() {
    Instant beforeIssue = NOW.minus(FederationCa.BACKDATE).minusSeconds(1);

    refused(
        () -> trust.certifiedSigningKey(politie.signingCertificate(), "politie", beforeIssue),
        Reason.NOT_YET_VALID, "valid from 2026-11-02T09:25:00Z");
  }

  @Test
  void toleratesAVerifierClockAFewMinutesBehindTheCa() throws Exception {
    assertThat(
            trust.certifiedSigningKey(
                politie.signingCertificate(), "politie", NOW.minus(Duration.ofMinutes(4))))
        .isEqualTo(politie.signingKey().verifyingKey());
  }

  @Test
  void refusesEverythingOnceTheCaItselfExpired() {
    FederationCa shortLived = FederationCa.create("kort", at(NOW), Duration.ofDays(30), seeded(4));
    PartyCredentials party = shortLived.issue("zvh", at(NOW), Duration.ofDays(30));
    Instant later = NOW.plus(Duration.ofDays(31));

    refused(
        () -> FederationTrust.of(shortLived.certificate())
            .certifiedSigningKey(party.signingCertificate(), "zvh", later),
        Reason.EXPIRED, "federation CA certificate expired");
  }

  @Test
  void refusesASigningCertificateForAnotherParty() {
    refused(
        () -> trust.certifiedSigningKey(politie.signingCertificate(), "riec", NOW),
        Reason.WRONG_PARTY, "names party politie, expected riec");
  }

  @Test
  void refusesARevokedSigningKeyButKeepsAcceptingOthers() throws Exception {
    PartyCredentials riec = ca.issue("riec", at(NOW), YEAR);
    FederationTrust withDenylist = trust.withRevoked(Set.of(politie.signingKey().keyId()));

    refused(
        () -> withDenylist.certifiedSigningKey(politie.signingCertificate(), "politie", NOW),
        Reason.REVOKED, "key " + politie.signingKey().keyId() + " of party politie is revoked");
    assertThat(withDenylist.certifiedSigningKey(riec.signingCertificate(), "riec", NOW))
        .isEqualTo(riec.signingKey().verifyingKey());
  }

  @Test
  void aRotatedPartyHasTwoValidSigningCertificatesUntilTheOldKeyIsRevoked() throws Exception {
    PartyCredentials rotated = ca.issue("politie", at(NOW.plus(Duration.ofDays(300))), YEAR);
    Instant overlap = NOW.plus(Duration.ofDays(310));

    assertThat(trust.certifiedSigningKey(politie.signingCertificate(), "politie", overlap))
        .isEqualTo(politie.signingKey().verifyingKey());
    assertThat(trust.certifiedSigningKey(rotated.signingCertificate(), "politie", overlap))
        .isEqualTo(rotated.signingKey().verifyingKey());
    assertThat(rotated.signingKey().keyId()).isNotEqualTo(politie.signingKey().keyId());

    FederationTrust afterRevocation = trust.withRevoked(Set.of(politie.signingKey().keyId()));
    refused(
        () -> afterRevocation.certifiedSigningKey(politie.signingCertificate(), "politie", overlap),
        Reason.REVOKED);
    assertThat(afterRevocation.certifiedSigningKey(rotated.signingCertificate(), "politie", overlap))
        .isEqualTo(rotated.signingKey().verifyingKey());
  }

  @Test
  void refusesATlsCertificateOfferedAsASigningCertificate() {
    refused(
        () -> trust.certifiedSigningKey(politie.tlsCertificate(), "politie", NOW),
        Reason.WRONG_USAGE, "it is a TLS certificate");
  }

  @Test
  void refusesASigningCertificateOfferedAsATlsCertificate() {
    refused(
        () -> trust.partyOf(politie.signingCertificate(), NOW),
        Reason.WRONG_USAGE, "not a TLS certificate");
  }

  @Test
  void refusesTheCaCertificateItselfAsAPartyCertificate() {
    refused(
        () -> trust.certifiedSigningKey(ca.certificate(), "politie", NOW),
        Reason.WRONG_USAGE, "is a CA certificate");
  }

  @Test
  void namesThePartyOfATlsCertificate() throws Exception {
    assertThat(trust.partyOf(politie.tlsCertificate(), NOW)).isEqualTo("politie");
  }

  @Test
  void refusesATlsCertificateFromAnotherCa() {
    PartyCredentials impostor =
        FederationCa.create("elders", at(NOW), Duration.ofDays(3650), seeded(5))
            .issue("politie", at(NOW), YEAR);

    refused(() -> trust.partyOf(impostor.tlsCertificate(), NOW), Reason.WRONG_CA);
  }

  @Test
  void refusesARevokedTlsKey() {
    KeyId tlsKey = FederationTrust.keyIdOf(politie.tlsCertificate());

    refused(
        () -> trust.withRevoked(Set.of(tlsKey)).partyOf(politie.tlsCertificate(), NOW),
        Reason.REVOKED, tlsKey.value());
  }

  @Test
  void revokingTheSigningKeyDoesNotRevokeTheTlsKey() throws Exception {
    FederationTrust withDenylist = trust.withRevoked(Set.of(politie.signingKey().keyId()));

    assertThat(withDenylist.partyOf(politie.tlsCertificate(), NOW)).isEqualTo("politie");
  }

  @Test
  void warnsWithinThirtyDaysOfExpiry() {
    X509Certificate certificate = politie.signingCertificate();
    Instant expiry = certificate.getNotAfter().toInstant();

    assertThat(FederationTrust.expiresWithin(
            certificate, FederationTrust.RENEWAL_WARNING, expiry.minus(Duration.ofDays(31))))
        .isFalse();
    assertThat(FederationTrust.expiresWithin(
            certificate, FederationTrust.RENEWAL_WARNING, expiry.minus(Duration.ofDays(29))))
        .isTrue();
    assertThat(FederationTrust.expiresWithin(
            certificate, FederationTrust.RENEWAL_WARNING, expiry.plusSeconds(1)))
        .isTrue();
  }

  @Test
  void refusesAPartyCertificateAsTrustAnchor() {
    assertThatThrownBy(() -> FederationTrust.of(politie.signingCertificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a CA certificate");
  }

  @Test
  void loadsTheAnchorFromTheCaCertificateFile() throws Exception {
    ca.writeTo(dir.resolve("ca"));

    FederationTrust loaded = FederationTrust.load(dir.resolve("ca").resolve(FederationCa.CERT_FILE));

    assertThat(loaded.certifiedSigningKey(politie.signingCertificate(), "politie", NOW))
        .isEqualTo(politie.signingKey().verifyingKey());
  }

  @Test
  void readsADenylistFileWithCommentsAndBlankLines() throws Exception {
    Path file = dir.resolve("revoked.txt");
    KeyId id = politie.signingKey().keyId();
    Files.writeString(file, "# politie, key leaked 2026-11-01\n\n" + id.value() + "\n");

    assertThat(FederationTrust.readRevocations(file)).containsExactly(id);
  }

  @Test
  void aDenylistLineThatIsNotAKeyIdNamesTheLine() throws Exception {
    Path file = dir.resolve("revoked.txt");
    Files.writeString(file, "# ok\nnot-a-key-id\n");

    assertThatThrownBy(() -> FederationTrust.readRevocations(file))
        .hasMessageContaining("revoked.txt:2:")
        .hasMessageContaining("16 lower-case hex");
  }

  @Test
  void theSigningCertificateCertifiesTheEd25519KeyWithDigitalSignatureOnly() throws Exception {
    X509Certificate certificate = politie.signingCertificate();

    assertThat(certificate.getPublicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(certificate.getKeyUsage()).startsWith(true, false, false, false, false, false);
    assertThat(certificate.getExtendedKeyUsage()).isNull();
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(certificate.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "urn:schakel:party:politie"));
  }
}
