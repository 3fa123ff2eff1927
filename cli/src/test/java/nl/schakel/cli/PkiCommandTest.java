package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import nl.schakel.trust.pki.FederationCa;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.PartyCredentials;
import nl.schakel.trust.pki.UntrustedCertificateException;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code schakel pki init|issue} as a federation operator uses it. */
class PkiCommandTest {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run schakel(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Schakel.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private void init() {
    Run run = schakel("pki", "init", "--dir", dir.toString(), "--federation", "midden");
    assertThat(run.exit()).as(run.err()).isZero();
  }

  private FederationTrust trust() throws Exception {
    return FederationTrust.load(dir.resolve("ca").resolve(FederationCa.CERT_FILE));
  }

  @Test
  void initCreatesTheCaAndRefusesToReplaceIt() throws Exception {
    Run first = schakel("pki", "init", "--dir", dir.toString(), "--federation", "midden");
    String cert = Files.readString(dir.resolve("ca/ca.cert.pem"));

    Run second = schakel("pki", "init", "--dir", dir.toString(), "--federation", "midden");

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("created the CA of federation midden", "ca.cert.pem");
    assertThat(second.exit()).isEqualTo(Exits.ERROR);
    assertThat(second.err()).contains("exists; a federation CA is never replaced");
    assertThat(Files.readString(dir.resolve("ca/ca.cert.pem"))).isEqualTo(cert);
    assertThat(trust().caCertificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=Schakel federation CA midden");
  }

  @Test
  void issuedSigningCertificateIsTrustedForThatPartyOnly() throws Exception {
    init();

    Run run = schakel("pki", "issue", "--dir", dir.toString(), "--party", "politie");

    assertThat(run.exit()).as(run.err()).isZero();
    Path party = dir.resolve("politie");
    SigningKey key = SigningKey.readPem(party.resolve(PartyCredentials.SIGNING_KEY_FILE));
    assertThat(run.out()).contains("issued credentials for party politie",
        "signing key " + key.keyId(), "certified until", "(new key)");
    var signingCert = FederationTrust.readCertificate(party.resolve(PartyCredentials.SIGNING_CERT_FILE));
    assertThat(trust().certifiedSigningKey(signingCert, "politie", Instant.now()))
        .isEqualTo(key.verifyingKey());
    assertThatThrownBy(() -> trust().certifiedSigningKey(signingCert, "riec", Instant.now()))
        .isInstanceOfSatisfying(UntrustedCertificateException.class,
            e -> assertThat(e.reason()).isEqualTo(UntrustedCertificateException.Reason.WRONG_PARTY));
    assertThat(trust().partyOf(PartyCredentials.load(party).tlsCertificate(), Instant.now()))
        .isEqualTo("politie");
  }

  @Test
  void issueCertifiesAGivenSigningKey() throws Exception {
    init();
    SigningKey existing = SigningKey.generate(new SecureRandom());
    Path keyFile = dir.resolve("gateway.key.pem");
    existing.writeTo(keyFile);

    Run run = schakel("pki", "issue", "--dir", dir.toString(), "--party", "gateway",
        "--signing-key", keyFile.toString(), "--host", "gateway.midden.example");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("signing key " + existing.keyId());
    PartyCredentials gateway = PartyCredentials.load(dir.resolve("gateway"));
    assertThat(trust().certifiedSigningKey(gateway.signingCertificate(), "gateway", Instant.now()))
        .isEqualTo(existing.verifyingKey());
    assertThat(gateway.tlsCertificate().getSubjectAlternativeNames())
        .contains(List.of(2, "gateway.midden.example"), List.of(2, "localhost"));
  }

  @Test
  void issueRefusesToReplaceCredentialsButRotatesIntoAnotherDirectory() throws Exception {
    init();
    schakel("pki", "issue", "--dir", dir.toString(), "--party", "politie");
    String before = Files.readString(dir.resolve("politie/signing.cert.pem"));

    Run again = schakel("pki", "issue", "--dir", dir.toString(), "--party", "politie");
    Run rotated = schakel("pki", "issue", "--dir", dir.toString(), "--party", "politie",
        "--out", dir.resolve("politie-2027").toString());

    assertThat(again.exit()).isEqualTo(Exits.ERROR);
    assertThat(again.err()).contains("credentials are never replaced", "--out");
    assertThat(Files.readString(dir.resolve("politie/signing.cert.pem"))).isEqualTo(before);
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    for (String d : List.of("politie", "politie-2027")) {
      PartyCredentials credentials = PartyCredentials.load(dir.resolve(d));
      assertThat(trust().certifiedSigningKey(credentials.signingCertificate(), "politie", Instant.now()))
          .isEqualTo(credentials.signingKey().verifyingKey());
    }
  }

  @Test
  void issueWithoutACaSaysHowToCreateOne() {
    Run run = schakel("pki", "issue", "--dir", dir.toString(), "--party", "politie");

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("no federation CA", "schakel pki init --dir");
  }

  @Test
  void issueRefusesAPartyIdThatIsNotOne() {
    init();

    Run run = schakel("pki", "issue", "--dir", dir.toString(), "--party", "../ca");

    assertThat(run.exit()).isEqualTo(Exits.ERROR);
    assertThat(run.err()).contains("party must be 1 to 64 of a-z, 0-9 and '-'");
    assertThat(dir.resolve("ca").resolve(PartyCredentials.TLS_KEY_FILE)).doesNotExist();
  }
}
