package nl.schakel.bench.load;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * The crypto-bound ceiling: how many questions/s this machine could answer if it did nothing but
 * the Ed25519 signatures and verifications the design requires (ARCHITECTURE.md "The flow of one
 * question"), spread over every core.
 *
 * <p>Per question to {@code n} responders: the gateway signs the question once (one signed
 * question serves all responders); each node verifies that signature and signs its answer; the
 * gateway verifies {@code n} answers. The analyst's token is an EdDSA signature too, but every
 * node's {@code CredentialVerifier} caches verified tokens by hash, so it costs one verification
 * per node per token, not per question: amortised over the questions one token carries. Each audit
 * log signs one checkpoint per group commit, not per entry: amortised over the entries of a commit
 * (per question two in the gateway's log, intent and result, and one in each node's own log).
 */
public final class CryptoCeiling {
  private static final int PAYLOAD = 400;

  /** Measured single-thread costs, microseconds per operation (Bouncy Castle, trust's signing API). */
  public record Costs(double signMicros, double verifyMicros, String source) {}

  /**
   * @param nodes responders per question
   * @param signsPerQuestion question + answers + checkpoint share
   * @param verifiesPerQuestion question at each node + answers at the gateway + token share
   * @param cpuMicrosPerQuestion {@code signs * sign + verifies * verify}
   * @param cores the CPUs the work is spread over
   * @param questionsPerSecond {@code cores * 1e6 / cpuMicrosPerQuestion}
   * @param assumptions how the amortised shares were counted
   */
  public record Ceiling(Costs costs, int nodes, double signsPerQuestion, double verifiesPerQuestion,
      double cpuMicrosPerQuestion, int cores, double questionsPerSecond, String assumptions) {}

  private CryptoCeiling() {}

  /**
   * Measures sign and verify like a JMH average-time benchmark, in process: one warm-up round
   * and one measured round of {@code each} per operation, on a question-sized payload.
   */
  public static Costs measure(Duration each) {
    SigningKey key = SigningKey.generate(new SecureRandom());
    VerifyingKey verifying = key.verifyingKey();
    byte[] payload = new byte[PAYLOAD];
    new Random(7).nextBytes(payload);
    byte[] signature = key.sign(payload);
    timeSign(key, payload, each);
    double sign = timeSign(key, payload, each);
    timeVerify(verifying, payload, signature, each);
    double verify = timeVerify(verifying, payload, signature, each);
    return new Costs(sign, verify, "in-process, Bouncy Castle Ed25519 via nl.schakel.trust.sign, "
        + PAYLOAD + "-byte payload, " + each.toMillis() + " ms per operation after as long a warm-up");
  }

  /**
   * @param questionsPerToken questions one analyst token carries before renewal; each node
   *     verifies it once
   * @param entriesPerGroupCommit audit entries that share one checkpoint signature, in the gateway's
   *     log and in each node's
   */
  public static Ceiling compute(Costs costs, int nodes, int cores, double questionsPerToken, double entriesPerGroupCommit) {
    if (nodes < 1 || cores < 1 || questionsPerToken < 1 || entriesPerGroupCommit < 1) {
      throw new IllegalArgumentException("nodes, cores, questionsPerToken and entriesPerGroupCommit must be >= 1, found "
          + nodes + ", " + cores + ", " + questionsPerToken + ", " + entriesPerGroupCommit);
    }
    double checkpointShare = (2.0 + nodes) / entriesPerGroupCommit;
    double signs = 1 + nodes + checkpointShare;
    double verifies = nodes + nodes + nodes / questionsPerToken;
    double cpu = signs * costs.signMicros() + verifies * costs.verifyMicros();
    String assumptions = String.format(java.util.Locale.ROOT,
        "signs = 1 question + %d answers + (2 gateway + %d node) audit entries / %.0f per group commit; "
            + "verifies = %d question checks at nodes + %d answer checks at the gateway + %d token checks / %.0f questions per token",
        nodes, nodes, entriesPerGroupCommit, nodes, nodes, nodes, questionsPerToken);
    return new Ceiling(costs, nodes, signs, verifies, cpu, cores, cores * 1e6 / cpu, assumptions);
  }

  private static double timeSign(SigningKey key, byte[] payload, Duration each) {
    long end = System.nanoTime() + each.toNanos();
    long start = System.nanoTime();
    long n = 0;
    byte sink = 0;
    while (System.nanoTime() < end) {
      sink ^= key.sign(payload)[0];
      n++;
    }
    payload[0] ^= (byte) (sink & 0); // keep the result alive without changing the payload
    return (System.nanoTime() - start) / 1000.0 / n;
  }

  private static double timeVerify(VerifyingKey key, byte[] payload, byte[] signature, Duration each) {
    long end = System.nanoTime() + each.toNanos();
    long start = System.nanoTime();
    long n = 0;
    while (System.nanoTime() < end) {
      try {
        key.verify(payload, signature);
      } catch (InvalidSignatureException e) {
        throw new IllegalStateException("a fresh Ed25519 signature failed to verify", e);
      }
      n++;
    }
    return (System.nanoTime() - start) / 1000.0 / n;
  }
}
