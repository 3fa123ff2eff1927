package nl.schakel.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.jwt.CredentialVerifier;
import nl.schakel.trust.jwt.Issuer;
import nl.schakel.trust.jwt.IssuerKeys;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseSigner;
import nl.schakel.trust.sign.DsseVerifier;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.VerifyingKey;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cryptography one question costs, piece by piece and per node, so the load generator's
 * figures can be compared with a crypto-bound ceiling. Payload sizes match a real signed
 * question (~400 bytes) and answer (~150 bytes). Run by hand (bench/README.md), never as a test.
 *
 * <p>Per node a question costs: the node verifies the gateway's question signature, verifies the
 * asker's credential (a cache hit after the first node of the same token, so counted separately),
 * signs its answer, and the gateway verifies that answer. The gateway signs each question once,
 * whatever the number of nodes: {@link #questionAnswerPathPerNode} therefore leaves it out and
 * {@link #dsseSignQuestion} shows what it adds per question.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoBenchmark {
  private static final String QUESTION = "application/vnd.schakel.question.v1+protobuf";
  private static final String ANSWER = "application/vnd.schakel.answer.v1+protobuf";
  private static final int TOKENS = 4096;

  private SigningKey gatewayKey;
  private SigningKey nodeKey;
  private VerifyingKey gatewayVerifying;
  private VerifyingKey nodeVerifying;
  private byte[] question;
  private byte[] answer;
  private DsseSignature questionSignature;
  private DsseSignature answerSignature;
  private Signature jdkVerifier;
  private KeyPair jdkPair;
  private byte[] jdkSignature;
  private HmacPseudonymiser pseudonymiser;
  private Bsn bsn;
  private CredentialVerifier credentials;
  private List<Issuer> issuers;
  private String[] tokens;
  private String cachedToken;
  private int next;
  private Instant now;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SecureRandom random = new SecureRandom();
    gatewayKey = SigningKey.generate(random);
    nodeKey = SigningKey.generate(random);
    gatewayVerifying = gatewayKey.verifyingKey();
    nodeVerifying = nodeKey.verifyingKey();
    Random fixed = new Random(1);
    question = new byte[400];
    answer = new byte[150];
    fixed.nextBytes(question);
    fixed.nextBytes(answer);
    questionSignature = DsseSigner.sign(gatewayKey, QUESTION, question);
    answerSignature = DsseSigner.sign(nodeKey, ANSWER, answer);

    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    jdkPair = g.generateKeyPair();
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(jdkPair.getPrivate());
    s.update(question);
    jdkSignature = s.sign();
    jdkVerifier = Signature.getInstance("Ed25519");

    pseudonymiser = HmacPseudonymiser.create(PseudonymKey.generate(random), "matching");
    bsn = Bsn.parse("999990019");

    Path dir = Files.createTempDirectory("schakel-bench-issuer");
    DemoIssuerKey issuer = DemoIssuerKey.loadOrCreate(dir);
    issuers = List.of(new Issuer("zvh", "bench", "schakel", IssuerKeys.readPem(issuer.publicKeyPem())));
    credentials = CredentialVerifier.create(issuers);
    TokenMinter minter = new TokenMinter(issuer, Clock.systemUTC());
    tokens = new String[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      tokens[i] = minter.mint(new AnalystClaims("bench", "schakel", "zvh", "analist-" + i,
          List.of("procesregisseur"), Duration.ofMinutes(5)));
    }
    cachedToken = tokens[0];
    now = Instant.now();
  }

  @Benchmark
  public byte[] ed25519Sign() {
    return nodeKey.sign(answer);
  }

  @Benchmark
  public boolean ed25519VerifyBouncyCastle() throws Exception {
    gatewayVerifying.verify(nl.schakel.trust.sign.Dsse.pae(QUESTION, question), questionSignature.sig());
    return true;
  }

  @Benchmark
  public boolean ed25519VerifyJdk() throws Exception {
    jdkVerifier.initVerify(jdkPair.getPublic());
    jdkVerifier.update(question);
    return jdkVerifier.verify(jdkSignature);
  }

  @Benchmark
  public DsseSignature dsseSignQuestion() {
    return DsseSigner.sign(gatewayKey, QUESTION, question);
  }

  @Benchmark
  public Object questionAnswerPathPerNode() throws Exception {
    DsseVerifier.verify(QUESTION, question, List.of(questionSignature),
        id -> id.equals(gatewayVerifying.keyId()) ? Optional.of(gatewayVerifying) : Optional.empty());
    DsseSignature signed = DsseSigner.sign(nodeKey, ANSWER, answer);
    return DsseVerifier.verify(ANSWER, answer, List.of(signed),
        id -> id.equals(nodeVerifying.keyId()) ? Optional.of(nodeVerifying) : Optional.empty());
  }

  /**
   * A credential the node has not seen yet: a fresh verifier (empty cache) per invocation.
   * Subtract {@link #credentialVerifierCreate} for the verification alone.
   */
  @Benchmark
  public Object credentialVerifyUncached() throws Exception {
    String token = tokens[next++ & (TOKENS - 1)];
    return CredentialVerifier.create(issuers).verify(token, "zvh", now);
  }

  @Benchmark
  public Object credentialVerifierCreate() {
    return CredentialVerifier.create(issuers);
  }

  @Benchmark
  public Object credentialVerifyCached() throws Exception {
    return credentials.verify(cachedToken, "zvh", now);
  }

  @Benchmark
  public Object pseudonymise() {
    return pseudonymiser.pseudonymise(bsn);
  }
}
