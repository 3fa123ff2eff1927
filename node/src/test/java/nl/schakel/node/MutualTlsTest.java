package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import nl.schakel.proto.v1.HealthRequest;
import nl.schakel.proto.v1.HealthStatus;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.trust.pki.PartyCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node speaks only mTLS, and only with the gateway of its own federation, over real gRPC. */
class MutualTlsTest {
  @TempDir
  Path dir;
  TestNode politie;
  TestPki pki;

  @BeforeEach
  void start() throws Exception {
    politie = TestNode.start(dir, "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n");
    pki = TestPki.in(dir);
  }

  @AfterEach
  void stop() {
    politie.close();
  }

  private static HealthStatus health(ManagedChannel channel) {
    try {
      return NodeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .health(HealthRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void servesTheGatewaysCertificateFromTheFederationCa() throws Exception {
    PartyCredentials gateway = pki.credentials(NodePki.GATEWAY);

    HealthStatus status = health(TestNode.channel(politie.node.address(), gateway, gateway.caCertificate()));

    assertThat(status.getState()).isEqualTo(HealthStatus.State.SERVING);
  }

  @Test
  void refusesAPlainTextConnection() {
    ManagedChannel plain = NettyChannelBuilder.forTarget(politie.node.address()).usePlaintext().build();

    assertThatThrownBy(() -> health(plain))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(politie.node.questionsReceived()).isZero();
  }

  @Test
  void refusesAGatewayCertificateFromAnotherCa() throws Exception {
    PartyCredentials impostor = TestPki.foreign(dir).credentials(NodePki.GATEWAY);
    PartyCredentials real = pki.credentials(NodePki.GATEWAY);

    assertThatThrownBy(() -> health(TestNode.channel(politie.node.address(), impostor, real.caCertificate())))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void refusesAnotherPartysCertificateFromTheFederationCa() throws Exception {
    PartyCredentials riec = pki.credentials("riec");

    assertThatThrownBy(() -> health(TestNode.channel(politie.node.address(), riec, riec.caCertificate())))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("only from party gateway", "names party riec");
        });
  }
}
