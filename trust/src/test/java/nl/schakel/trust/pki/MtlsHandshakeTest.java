package nl.schakel.trust.pki;

import static nl.schakel.trust.pki.Fixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import nl.schakel.trust.pki.UntrustedCertificateException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation's certificates in a real mTLS handshake through grpc-netty-shaded (BoringSSL
 * where available), with client certificates required, as between gateway and nodes. The server
 * answers "who am I" with the party {@link FederationTrust} finds in the client's certificate.
 */
class MtlsHandshakeTest {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };
  private static final MethodDescriptor<byte[], byte[]> WHO_AM_I =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("schakel.test.Peer/WhoAmI")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();
  private static final Context.Key<SSLSession> PEER = Context.key("peer");

  @TempDir static Path dir;

  // TLS stacks check validity against the system clock, so these certificates start now.
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static FederationTrust trust;
  private static Path caCert;
  private static Server server;

  @BeforeAll
  static void startANodeThatRequiresClientCertificates() throws Exception {
    Clock clock = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
    FederationCa ca = FederationCa.create("midden", clock, Duration.ofDays(30), seeded(11));
    ca.writeTo(dir.resolve("ca"));
    ca.issue("politie", clock, Duration.ofDays(1)).writeTo(dir.resolve("politie"));
    ca.issue("gateway", clock, Duration.ofDays(1)).writeTo(dir.resolve("gateway"));
    FederationCa.create("elders", clock, Duration.ofDays(30), seeded(12))
        .issue("gateway", clock, Duration.ofDays(1))
        .writeTo(dir.resolve("impostor"));
    caCert = dir.resolve("ca").resolve(FederationCa.CERT_FILE);
    trust = FederationTrust.load(caCert);

    Path node = dir.resolve("politie");
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.forServer(
                        node.resolve(PartyCredentials.TLS_CERT_FILE).toFile(),
                        node.resolve(PartyCredentials.TLS_KEY_FILE).toFile())
                    .trustManager(caCert.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build())
            .addService(ServerInterceptors.intercept(whoAmI(), new CaptureTlsSession()))
            .build()
            .start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static ServerServiceDefinition whoAmI() {
    return ServerServiceDefinition.builder("schakel.test.Peer")
        .addMethod(
            WHO_AM_I,
            ServerCalls.asyncUnaryCall(
                (request, response) -> {
                  try {
                    X509Certificate peer = (X509Certificate) PEER.get().getPeerCertificates()[0];
                    response.onNext(trust.partyOf(peer, NOW).getBytes(StandardCharsets.UTF_8));
                    response.onCompleted();
                  } catch (SSLPeerUnverifiedException | UntrustedCertificateException e) {
                    response.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asException());
                  }
                }))
        .build();
  }

  private static final class CaptureTlsSession implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Context context =
          Context.current().withValue(PEER, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      return Contexts.interceptCall(context, call, headers, next);
    }
  }

  private static String askAs(String clientDir, UnaryOperator<NettyChannelBuilder> transport)
      throws Exception {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress("localhost", server.getPort());
    if (clientDir != null) {
      Path client = dir.resolve(clientDir);
      builder.sslContext(
          GrpcSslContexts.forClient()
              .trustManager(caCert.toFile())
              .keyManager(
                  client.resolve(PartyCredentials.TLS_CERT_FILE).toFile(),
                  client.resolve(PartyCredentials.TLS_KEY_FILE).toFile())
              .build());
    }
    ManagedChannel channel = transport.apply(builder).build();
    try {
      byte[] answer =
          ClientCalls.blockingUnaryCall(
              channel, WHO_AM_I, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
              new byte[0]);
      return new String(answer, StandardCharsets.UTF_8);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theGatewaysCertificateCompletesTheHandshakeAndNamesTheGateway() throws Exception {
    assertThat(askAs("gateway", b -> b)).isEqualTo("gateway");
  }

  @Test
  void refusesAClientCertificateFromAnotherCa() {
    assertThatThrownBy(() -> askAs("impostor", b -> b))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void refusesAPlainTextClient() {
    assertThatThrownBy(() -> askAs(null, NettyChannelBuilder::usePlaintext))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void refusesATlsClientWithoutACertificate() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", server.getPort())
            .sslContext(GrpcSslContexts.forClient().trustManager(caCert.toFile()).build())
            .build();
    try {
      assertThatThrownBy(
              () -> ClientCalls.blockingUnaryCall(
                  channel, WHO_AM_I, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                  new byte[0]))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theClientRefusesANodeWhoseCertificateIsFromAnotherCa() throws Exception {
    Path impostor = dir.resolve("impostor");
    Server fake =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.forServer(
                        impostor.resolve(PartyCredentials.TLS_CERT_FILE).toFile(),
                        impostor.resolve(PartyCredentials.TLS_KEY_FILE).toFile())
                    .build())
            .addService(whoAmI())
            .build()
            .start();
    Path gateway = dir.resolve("gateway");
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", fake.getPort())
            .sslContext(
                GrpcSslContexts.forClient()
                    .trustManager(caCert.toFile())
                    .keyManager(
                        gateway.resolve(PartyCredentials.TLS_CERT_FILE).toFile(),
                        gateway.resolve(PartyCredentials.TLS_KEY_FILE).toFile())
                    .build())
            .build();
    try {
      assertThatThrownBy(
              () -> ClientCalls.blockingUnaryCall(
                  channel, WHO_AM_I, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                  new byte[0]))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      fake.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void thePeerCertificateSeenByTheServerIsRefusedAsASigningCertificate() throws Exception {
    // After the handshake a node may only use the peer's TLS certificate to name the peer.
    X509Certificate gatewayTls =
        PartyCredentials.load(dir.resolve("gateway")).tlsCertificate();

    assertThatThrownBy(() -> trust.certifiedSigningKey(gatewayTls, "gateway", NOW))
        .isInstanceOfSatisfying(
            UntrustedCertificateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_USAGE));
  }
}
