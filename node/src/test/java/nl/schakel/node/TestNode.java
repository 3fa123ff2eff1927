package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import java.security.cert.X509Certificate;
import nl.schakel.proto.v1.Signature;
import nl.schakel.trust.pki.PartyCredentials;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseSigner;
import nl.schakel.trust.sign.SigningKey;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import nl.schakel.proto.v1.Credential;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.NodeServiceGrpc;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.identifier.Identifier;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;

/**
 * A real node on a loopback port with inline records, and a plaintext gRPC client to ask it. Nodes
 * started in the same directory share its matching key and (default) cell key, as restarts of one
 * node would.
 */
final class TestNode implements AutoCloseable {
  /** Inside the demo convenant's validity (2026-01-01 .. 2027-12-31). */
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  static final Path DEMO = Path.of("../deploy/demo/covenants/zvo-midden.v3.yaml");

  final Node node;
  final HmacPseudonymiser pseudonymiser;
  private final ManagedChannel channel;
  private final NodeServiceGrpc.NodeServiceBlockingStub stub;

  /** The analysts' issuer of every party in these tests, and the audience of its tokens. */
  static final String ISSUER = "https://login.test.example/schakel";
  static final String AUDIENCE = "schakel";
  static final Duration TOKEN_TTL = Duration.ofMinutes(5);

  private final SigningKey gatewayKey;
  private final TokenMinter tokens;

  private TestNode(Node node, HmacPseudonymiser pseudonymiser, ManagedChannel channel, SigningKey gatewayKey,
      TokenMinter tokens) {
    this.gatewayKey = gatewayKey;
    this.tokens = tokens;
    this.node = node;
    this.pseudonymiser = pseudonymiser;
    this.channel = channel;
    this.stub = NodeServiceGrpc.newBlockingStub(channel);
  }

  /** A node of {@code party} holding the demo convenant, its clock fixed at {@link #NOW}. */
  static TestNode start(Path dir, String party, String records) throws IOException {
    return start(dir, party, records, List.of(DEMO), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /**
   * {@code records}: CSV rows without the header. The node holds copies of {@code covenants} signed
   * by every party they name ({@link PartySigners}), as a node in production must.
   */
  static TestNode start(Path dir, String party, String records, List<Path> covenants, Clock clock) throws IOException {
    return start(dir, party, records, covenants, clock, freshStateDir(dir, party));
  }

  /**
   * As above, keeping the node's log and witness state in {@code stateDir}: start again with the
   * same directory to restart the node. Only one running node may use a state directory.
   */
  static TestNode start(Path dir, String party, String records, List<Path> covenants, Clock clock, Path stateDir)
      throws IOException {
    Path csv = Files.createTempFile(dir, party, ".csv");
    Files.writeString(csv, CsvRecordSource.HEADER + "\n" + records);
    return start(dir, party, new NodeConfig.Source(csv), covenants, clock, stateDir);
  }

  /** A node of {@code party} reading {@code source} (a CSV file or a database), its state in {@code stateDir}. */
  static TestNode start(Path dir, String party, NodeConfig.Source source, List<Path> covenants, Clock clock,
      Path stateDir) throws IOException {
    return start(dir, party, source, covenants, clock, stateDir, c -> c);
  }

  /** As above, with node.yaml options the fixture does not set ({@code identifier-forms}, {@code metrics}). */
  static TestNode start(Path dir, String party, String records, java.util.function.UnaryOperator<NodeConfig> options)
      throws IOException {
    Path csv = Files.createTempFile(dir, party, ".csv");
    Files.writeString(csv, CsvRecordSource.HEADER + "\n" + records);
    return start(dir, party, new NodeConfig.Source(csv), List.of(DEMO), Clock.fixed(NOW, ZoneOffset.UTC),
        freshStateDir(dir, party), options);
  }

  static TestNode start(Path dir, String party, NodeConfig.Source source, List<Path> covenants, Clock clock,
      Path stateDir, java.util.function.UnaryOperator<NodeConfig> options) throws IOException {
    Path key = matchingKey(dir);
    PartySigners signers = new PartySigners(dir);
    Node node = Node.start(options.apply(new NodeConfig(party, new NodeConfig.Listen("127.0.0.1", 0), source, key,
        signers.signedCopies(dir, covenants), signers.partyKeys(), TestPki.in(dir).nodePki(party))
        .withAnalysts(analysts(dir, covenants)).withStateDir(stateDir)), clock);
    TestPki pki = TestPki.in(dir);
    return new TestNode(node, HmacPseudonymiser.create(PseudonymKey.readFrom(key), Node.MATCHING),
        channel(node.address(), pki.credentials(NodePki.GATEWAY), pki.credentials(NodePki.GATEWAY).caCertificate()),
        pki.credentials(NodePki.GATEWAY).signingKey(), new TokenMinter(issuerKey(dir), clock));
  }

  /** A new state directory: tests may run two nodes of one party side by side, each with its own. */
  static Path freshStateDir(Path dir, String party) throws IOException {
    return Files.createTempDirectory(Files.createDirectories(dir.resolve("state")), party + "-");
  }

  /** The directory's analyst issuer key (made on first use), which every test party's analysts trust. */
  static DemoIssuerKey issuerKey(Path dir) throws IOException {
    return DemoIssuerKey.loadOrCreate(dir.resolve("issuer"));
  }

  /** One {@code analysts:} entry per party of the convenants, all with the directory's issuer. */
  static List<NodeConfig.Analysts> analysts(Path dir, List<Path> covenants) throws IOException {
    Path pem = issuerKey(dir).publicKeyPem();
    return covenants.stream().flatMap(c -> PartySigners.parties(c).stream()).distinct()
        .map(p -> new NodeConfig.Analysts(p, ISSUER, AUDIENCE, List.of(pem), Optional.empty()))
        .toList();
  }

  /** A genuine token of the directory's issuer, minted at the node's current time. */
  String token(String party, String person, List<String> roles, Duration ttl) {
    return tokens.mint(new AnalystClaims(ISSUER, AUDIENCE, party, person, roles, ttl));
  }

  /** The genuine credential of the question's asker, as the gateway forwards it. */
  Credential credentialOf(Question.Builder q) {
    return Credential.newBuilder()
        .setToken(token(q.getAskerParty(), q.getAskerPerson(), q.getAskerRolesList(), TOKEN_TTL)).build();
  }

  /** An mTLS channel presenting {@code client}'s TLS certificate and trusting {@code ca}. */
  static ManagedChannel channel(String address, PartyCredentials client, X509Certificate ca) throws IOException {
    return NettyChannelBuilder.forTarget(address)
        .sslContext(GrpcSslContexts.forClient()
            .keyManager(client.tlsKey(), client.tlsCertificateChain().toArray(X509Certificate[]::new))
            .trustManager(ca)
            .build())
        .build();
  }

  /**
   * The directory's matching key, and beside it the default cell key, both made from fixed seeds so
   * that released counts (and so the tests) are the same on every run.
   */
  static Path matchingKey(Path dir) throws IOException {
    Path key = dir.resolve("matching.key");
    if (!Files.exists(key)) {
      seededKey(1).writeTo(key);
      seededKey(2).writeTo(dir.resolve("cell.key"));
    }
    return key;
  }

  static PseudonymKey seededKey(long seed) {
    byte[] material = new byte[PseudonymKey.LENGTH];
    new Random(seed).nextBytes(material);
    return PseudonymKey.of(material);
  }

  ByteString pseudonym(Identifier id) {
    return ByteString.copyFrom(pseudonymiser.pseudonymise(id).bytes());
  }

  /** {@code payload} as a question envelope signed with the gateway's certified signing key. */
  Envelope signed(ByteString payload) {
    DsseSignature sig = DsseSigner.sign(gatewayKey, PayloadTypes.QUESTION, payload.toByteArray());
    return Envelope.newBuilder().setPayloadType(PayloadTypes.QUESTION).setPayload(payload)
        .addSignatures(Signature.newBuilder().setKeyid(sig.keyId().value()).setSig(ByteString.copyFrom(sig.sig())))
        .build();
  }

  /**
   * Asks {@code q} as the gateway forwards a direct question: with the asker's genuine credential
   * for exactly the claimed party, person and roles, unless {@code q} already carries a
   * credential (asker's or approver's), which is then sent as it is.
   */
  Answer ask(Question q) throws Exception {
    if (!q.hasAskerCredential() && !q.hasApproverCredential()) {
      return askAsIs(q.toBuilder().setAskerCredential(credentialOf(q.toBuilder())).build());
    }
    return askAsIs(q);
  }

  Answer ask(Question.Builder q) throws Exception {
    return ask(q.build());
  }

  /** Sends {@code q} exactly as built, credentials or none. */
  Answer askAsIs(Question q) throws Exception {
    Envelope reply = stub.ask(signed(q.toByteString()));
    assertThat(reply.getPayloadType()).isEqualTo(PayloadTypes.ANSWER);
    return Answer.parseFrom(reply.getPayload());
  }

  NodeServiceGrpc.NodeServiceBlockingStub stub() {
    return stub;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    node.close();
  }
}
