package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.SignedCovenant;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schakel up} plays every party of the demo, so it signs the convenant itself, says so, and
 * never silently replaces signatures that are there: those must verify with its keys, or it stops
 * and says how to start over. A one-node federation keeps these starts fast.
 */
class DemoSignaturesTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
  /**
   * When test federations issue their PKI: TLS checks certificates against the real time, the
   * components against their fixed clocks; certificates from 2025 for ten years cover both.
   */
  static final Clock PKI_CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final List<String> PARTIES = List.of("gemeente-oov", "zvh", "riec", "politie", "veilig-thuis",
      "woningcorporatie", "sociaal-domein", "reclassering", "belastingdienst", "ggz");

  @TempDir
  Path dir;
  Path covenant;
  Path sigs;

  @BeforeEach
  void federationDirectory() throws IOException {
    covenant = Files.createDirectories(dir.resolve("covenants")).resolve("zvo-midden.v3.yaml");
    Files.copy(Path.of("../deploy/demo/covenants/zvo-midden.v3.yaml"), covenant);
    sigs = dir.resolve("covenants/zvo-midden.v3.sigs");
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/politie.csv"),
        "subject_type,identifier,category,date,area\nperson,999990019,incident.huiselijk-geweld,2026-03-01,\n");
    Files.writeString(dir.resolve("federation.yaml"), """
        federation: midden
        gateway: {port: 0}
        covenants: [covenants/zvo-midden.v3.yaml]
        nodes:
          - {party: politie, port: 0, source: {csv: data/politie.csv}}
        """);
  }

  /** Starts and stops the federation; returns what it printed. */
  String up() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LocalFederation.start(dir, CLOCK, PKI_CLOCK, new PrintStream(out, true, StandardCharsets.UTF_8)).close();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void signsAnUnsignedConvenantAsEveryPartyOnFirstStartAndWarnsThatItDidSo() throws Exception {
    String printed = up();

    assertThat(printed).contains("WARNING: signed convenant zvo-midden v3 as all 10 of its parties")
        .contains("covenants/zvo-midden.v3.sigs").contains("The demo plays every party");
    Path partyKeys = LocalFederation.partyKeysDir(dir);
    SignedCovenant signed = SignedCovenant.load(covenant, PartyKeys.readDirectory(partyKeys));
    assertThat(signed.signatures().complete()).as(signed.signatures().summary()).isTrue();
    assertThat(Files.getPosixFilePermissions(LocalFederation.signingKeysDir(dir))).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    for (String party : PARTIES) {
      Path key = LocalFederation.signingKeysDir(dir).resolve(party + ".key.pem");
      assertThat(Files.getPosixFilePermissions(key))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(partyKeys.resolve(party + ".pub.pem")).exists();
    }
  }

  @Test
  void writesPartyKeysIntoTheGeneratedNodeAndGatewayConfigs() throws Exception {
    up();

    assertThat(dir.resolve("run/config/politie.node.yaml")).content().contains("party-keys: ../keys/party-keys");
    assertThat(dir.resolve("run/config/gateway.yaml")).content().contains("party-keys: ../keys/party-keys");
  }

  @Test
  void issuesAFederationCaAndCredentialsCertifyingEachPartysConvenantSigningKey() throws Exception {
    up();
    Path pki = dir.resolve("run/pki");
    nl.schakel.trust.pki.FederationTrust trust = nl.schakel.trust.pki.FederationTrust.load(pki.resolve("ca/ca.cert.pem"));

    for (String party : List.of("gateway", "politie")) {
      nl.schakel.trust.pki.PartyCredentials creds = nl.schakel.trust.pki.PartyCredentials.load(pki.resolve(party));
      assertThat(trust.partyOf(creds.tlsCertificate(), CLOCK.instant())).isEqualTo(party);
      assertThat(trust.certifiedSigningKey(creds.signingCertificate(), party, CLOCK.instant()))
          .isEqualTo(creds.signingKey().verifyingKey());
    }
    assertThat(nl.schakel.trust.pki.PartyCredentials.load(pki.resolve("politie")).signingKey().verifyingKey())
        .isEqualTo(SigningKey.readPem(dir.resolve("run/keys/signing/politie.key.pem")).verifyingKey());
    assertThat(dir.resolve("run/config/politie.node.yaml")).content()
        .contains("credentials: ../pki/politie", "ca: ../pki/ca/ca.cert.pem",
            "gateway-signing-cert: ../pki/gateway/signing.cert.pem");
    assertThat(dir.resolve("run/config/gateway.yaml")).content()
        .contains("credentials: ../pki/gateway", "signing-cert: ../pki/politie/signing.cert.pem");
  }

  @Test
  void keepsTheFederationCaAcrossRestarts() throws Exception {
    up();
    byte[] ca = Files.readAllBytes(dir.resolve("run/pki/ca/ca.cert.pem"));
    byte[] politie = Files.readAllBytes(dir.resolve("run/pki/politie/tls.cert.pem"));

    up();

    assertThat(Files.readAllBytes(dir.resolve("run/pki/ca/ca.cert.pem"))).isEqualTo(ca);
    assertThat(Files.readAllBytes(dir.resolve("run/pki/politie/tls.cert.pem"))).isEqualTo(politie);
  }

  @Test
  void verifiesSignaturesThatArePresentAndNeverOverwritesThem() throws Exception {
    up();
    byte[] first = Files.readAllBytes(sigs);

    String printed = up();

    assertThat(printed).doesNotContain("WARNING");
    assertThat(Files.readAllBytes(sigs)).isEqualTo(first);
  }

  @Test
  void refusesToStartWhenPresentSignaturesWereMadeWithOtherKeysAndSaysHowToStartOver() throws Exception {
    up();
    byte[] made = Files.readAllBytes(sigs);
    deleteTree(dir.resolve("run")); // fresh demo keys next time; the old .sigs stays

    assertThatThrownBy(this::up)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("covenants/zvo-midden.v3.sigs does not verify with this federation's demo keys")
        .hasMessageContaining("delete covenants/zvo-midden.v3.sigs and run/");
    assertThat(Files.readAllBytes(sigs)).isEqualTo(made);
  }

  @Test
  void refusesToStartWhenTheConvenantChangedAfterItWasSigned() throws Exception {
    up();
    Files.writeString(covenant, Files.readString(covenant).replace("lookback: P5Y", "lookback: P10Y"));

    assertThatThrownBy(this::up)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("was changed after it was signed")
        .hasMessageContaining("delete covenants/zvo-midden.v3.sigs and run/");
  }

  @Test
  void upPrintsTheReasonAndExitsOneInsteadOfAStackTrace() throws Exception {
    up();
    Files.writeString(covenant, Files.readString(covenant).replace("lookback: P5Y", "lookback: P10Y"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      // Preemptive: were it to start after all, `up` would run until interrupted.
      exit = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> Schakel.commandLine().execute("up", "--dir", dir.toString()));
    } finally {
      System.setErr(oldErr);
    }

    assertThat(exit).isEqualTo(Exits.ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("was changed after it was signed")
        .doesNotContain("\tat ");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
