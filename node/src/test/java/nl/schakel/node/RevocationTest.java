package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import nl.schakel.proto.v1.HealthRequest;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.PartyCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The federation's denylist of key ids ({@code pki.revoked-keys}) as a node honours it. */
class RevocationTest {
  @TempDir
  Path dir;

  private NodeConfig withRevoked(String... keyIds) throws IOException {
    NodeStartTest start = new NodeStartTest();
    start.dir = dir;
    NodeConfig base = start.config("politie", List.of(TestNode.DEMO));
    Path denylist = dir.resolve("revoked-keys.txt");
    Files.writeString(denylist, "# revoked after the 2026 incident\n\n" + String.join("\n", keyIds) + "\n");
    NodeConfig.Pki pki = new NodeConfig.Pki(base.pki().credentials(), base.pki().ca(),
        base.pki().gatewaySigningCert(), Optional.of(denylist));
    return new NodeConfig(base.party(), base.listen(), base.source(), base.matchingKey(), base.covenants(),
        base.partyKeys(), pki);
  }

  private String signingKeyId(String party) throws IOException {
    return PartyCredentials.load(TestPki.in(dir).party(party)).signingKey().keyId().toString();
  }

  @Test
  void refusesToStartWhenTheGatewaysSigningKeyIsRevoked() throws Exception {
    String gatewayKey = signingKeyId(NodePki.GATEWAY);
    NodeConfig config = withRevoked(gatewayKey);

    assertThatThrownBy(() -> Node.start(config, NodeStartTest.CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("politie cannot start")
        .hasMessageContaining("gateway-signing-cert")
        .hasMessageContaining("key " + gatewayKey + " of party gateway is revoked");
  }

  @Test
  void refusesToStartWhenItsOwnTlsKeyIsRevoked() throws Exception {
    String tlsKey = FederationTrust.keyIdOf(
        PartyCredentials.load(TestPki.in(dir).party("politie")).tlsCertificate()).toString();

    assertThatThrownBy(() -> Node.start(withRevoked(tlsKey), NodeStartTest.CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("own certificates")
        .hasMessageContaining("key " + tlsKey + " of party politie is revoked");
  }

  @Test
  void refusesCallsOverAConnectionWhoseClientTlsKeyIsRevokedNamingTheKey() throws Exception {
    PartyCredentials gateway = TestPki.in(dir).credentials(NodePki.GATEWAY);
    String tlsKey = FederationTrust.keyIdOf(gateway.tlsCertificate()).toString();

    try (Node node = Node.start(withRevoked(tlsKey), NodeStartTest.CLOCK)) {
      ManagedChannel channel = TestNode.channel(node.address(), gateway, gateway.caCertificate());
      try {
        assertThatThrownBy(() -> NodeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .health(HealthRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("key " + tlsKey + " of party gateway is revoked");
            });
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void startsWhenTheDenylistNamesOnlyOtherKeys() throws Exception {
    try (Node node = Node.start(withRevoked(signingKeyId("riec")), NodeStartTest.CLOCK)) {
      assertThat(node.records()).isEqualTo(1);
    }
  }

  @Test
  void refusesToStartOnAMalformedDenylistNamingTheLine() throws Exception {
    assertThatThrownBy(() -> Node.start(withRevoked("not-a-key-id"), NodeStartTest.CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("revoked-keys.txt:3");
  }

  @Test
  void readsAnOptionalDenylistFromNodeYamlRelativeToTheFile() throws Exception {
    NodeConfig config = new ObjectMapper(new YAMLFactory()).readValue("""
        party: politie
        listen: {port: 0}
        source: {csv: data/politie.csv}
        matching-key: keys/matching.key
        covenants: [covenants/zvo-midden.v3.yaml]
        party-keys: keys/party-keys
        state-dir: state/politie
        pki: {credentials: pki/politie, ca: pki/ca/ca.cert.pem, gateway-signing-cert: pki/gateway/signing.cert.pem,
              revoked-keys: revoked-keys.txt}
        """, NodeConfig.class).resolveAgainst(Path.of("/etc/schakel"));

    assertThat(config.pki().revokedKeys()).contains(Path.of("/etc/schakel/revoked-keys.txt"));
  }
}
