package nl.schakel.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import nl.schakel.trust.pki.FederationCa;
import nl.schakel.trust.pki.PartyCredentials;

/**
 * A federation CA in {@code dir/pki} and credentials issued from it on demand. Certificates are
 * valid from 2025 for twenty years: TLS handshakes check them against the real time, the nodes'
 * own checks against their test clock, and both must pass on any day the tests run. Shared with the
 * gateway's tests through node's test-jar.
 */
public final class TestPki {
  static final Clock ISSUED = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final Duration VALIDITY = Duration.ofDays(365 * 19);

  private final Path root;
  private final FederationCa ca;

  private TestPki(Path root, FederationCa ca) {
    this.root = root;
    this.ca = ca;
  }

  /** The CA of {@code dir}, created on first use: every node and client of one test share it. */
  public static TestPki in(Path dir) throws IOException {
    Path root = dir.resolve("pki");
    Path caDir = root.resolve("ca");
    if (!Files.exists(caDir.resolve(FederationCa.CERT_FILE))) {
      FederationCa.create("test", ISSUED, Duration.ofDays(365 * 20), new SecureRandom()).writeTo(caDir);
    }
    return new TestPki(root, FederationCa.load(caDir, new SecureRandom()));
  }

  /** A second, unrelated CA: what an attacker with their own CA could present. */
  public static TestPki foreign(Path dir) throws IOException {
    return in(dir.resolve("foreign"));
  }

  public Path caCert() {
    return root.resolve("ca").resolve(FederationCa.CERT_FILE);
  }

  /** The directory of {@code party}'s credentials, issued on first use. */
  public Path party(String party) throws IOException {
    Path partyDir = root.resolve(party);
    if (!Files.exists(partyDir.resolve(PartyCredentials.TLS_CERT_FILE))) {
      ca.issue(party, ISSUED, VALIDITY).writeTo(partyDir);
    }
    return partyDir;
  }

  /** The certificate of {@code party}'s signing key, issued on first use. */
  public Path signingCert(String party) throws IOException {
    return party(party).resolve(PartyCredentials.SIGNING_CERT_FILE);
  }

  public PartyCredentials credentials(String party) throws IOException {
    return PartyCredentials.load(party(party));
  }

  /** The {@code pki:} section of a node of {@code party} in this federation. */
  public NodeConfig.Pki nodePki(String party) throws IOException {
    return new NodeConfig.Pki(party(party), caCert(),
        party(NodePki.GATEWAY).resolve(PartyCredentials.SIGNING_CERT_FILE));
  }
}
