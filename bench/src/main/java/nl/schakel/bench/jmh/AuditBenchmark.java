package nl.schakel.bench.jmh;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import nl.schakel.audit.MerkleHash;
import nl.schakel.audit.MerkleTree;
import nl.schakel.audit.ProofVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the audit log's Merkle tree costs in memory, without any file or fsync: appending a leaf,
 * producing and checking inclusion and consistency proofs, and the root at an earlier size, all on
 * a tree of {@link #leaves} leaves (default one million). The public {@link MerkleTree} is the same
 * class FileAuditLog and PostgresAuditLog keep in memory, so this is the CPU part of their appends
 * and proof requests; AppendBenchmark measures the durable part. Run by hand (bench/README.md),
 * never as a test.
 *
 * <p>Proof and root queries draw from {@value #QUERIES} seeded leaf indices or sizes, cycled, so
 * they do not all walk the same path (the cost depends on where a leaf sits: a leaf near the right
 * border of a tree whose size is not a power of two has a shorter path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuditBenchmark {
  private static final int QUERIES = 4096;
  private static final long SEED = 20261129L;
  /** About the size of an encoded audit entry (question hash, pseudonyms, decision, time). */
  private static final int ENTRY_BYTES = 300;

  @Param("1000000")
  public int leaves;

  private byte[][] leafHashes;
  private MerkleTree tree;
  private byte[] root;
  private long[] indices;
  private long[] sizes;
  private List<byte[]>[] inclusionProofs;
  private long first;
  private byte[] firstRoot;
  private List<byte[]> consistencyProof;
  private byte[] entry;
  private MessageDigest reusedDigest;
  private int next;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void build() {
    leafHashes = new byte[leaves][];
    ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES);
    for (int i = 0; i < leaves; i++) {
      leafHashes[i] = MerkleHash.leafHash(buffer.clear().putLong(i).array());
    }
    tree = treeOf(leafHashes);
    root = tree.root();
    SplittableRandom random = new SplittableRandom(SEED);
    indices = new long[QUERIES];
    sizes = new long[QUERIES];
    inclusionProofs = new List[QUERIES];
    for (int i = 0; i < QUERIES; i++) {
      indices[i] = random.nextLong(leaves);
      sizes[i] = 1 + random.nextLong(leaves);
      inclusionProofs[i] = tree.inclusionProof(indices[i], leaves);
    }
    first = leaves / 2;
    firstRoot = tree.root(first);
    consistencyProof = tree.consistencyProof(first, leaves);
    entry = new byte[ENTRY_BYTES];
    random.nextBytes(entry);
    try {
      reusedDigest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JDK", e);
    }
    // Fail now rather than time a verifier that throws.
    ProofVerifier.verifyInclusion(leafHashes[(int) indices[0]], indices[0], leaves, inclusionProofs[0], root);
    ProofVerifier.verifyConsistency(first, leaves, firstRoot, root, consistencyProof);
  }

  /**
   * The tree for {@link #append}: rebuilt at {@link #leaves} leaves before every iteration, so
   * appends always start there; within an iteration it grows by the iteration's appends (about a
   * million a second). Append cost does not depend on size beyond that: one stored leaf plus, on
   * average, one node hash (binary-counter carries).
   */
  @State(Scope.Benchmark)
  public static class GrowingTree {
    MerkleTree tree;
    byte[][] leafHashes;
    int next;

    @Setup(Level.Iteration)
    public void rebuild(AuditBenchmark shared) {
      leafHashes = shared.leafHashes;
      tree = null; // let the previous iteration's tree go before building the next
      tree = treeOf(leafHashes);
    }
  }

  /** One leaf appended (its hash already computed): what the log's writer does per entry. */
  @Benchmark
  public MerkleTree append(GrowingTree growing) {
    growing.tree.append(growing.leafHashes[growing.next++ % growing.leafHashes.length]);
    return growing.tree;
  }

  /** The leaf hash of one ~300-byte entry, which every append needs first. */
  @Benchmark
  public byte[] leafHash() {
    return MerkleHash.leafHash(entry);
  }

  /**
   * One interior node hash, the unit every proof and root below is made of: their cost is about
   * this times the number of hashes they compute.
   */
  @Benchmark
  public byte[] nodeHash() {
    return MerkleHash.nodeHash(leafHashes[0], leafHashes[1]);
  }

  /**
   * The same SHA-256 over 0x01 || left || right on one reused MessageDigest, for comparison:
   * MerkleHash looks a digest up with MessageDigest.getInstance on every call, and the difference
   * between the two is what that lookup costs.
   */
  @Benchmark
  public byte[] nodeHashReusedDigestBaseline() {
    reusedDigest.update((byte) 0x01);
    reusedDigest.update(leafHashes[0]);
    reusedDigest.update(leafHashes[1]);
    return reusedDigest.digest();
  }

  /** The audit path of a seeded leaf in the full tree. */
  @Benchmark
  public List<byte[]> inclusionProof() {
    return tree.inclusionProof(indices[next++ & (QUERIES - 1)], leaves);
  }

  /** An auditor checking one audit path against the full tree's root. */
  @Benchmark
  public boolean verifyInclusion() {
    int i = next++ & (QUERIES - 1);
    ProofVerifier.verifyInclusion(leafHashes[(int) indices[i]], indices[i], leaves, inclusionProofs[i], root);
    return true;
  }

  /** The consistency proof from half the tree to all of it. */
  @Benchmark
  public List<byte[]> consistencyProof() {
    return tree.consistencyProof(first, leaves);
  }

  /** An auditor checking that proof against both roots. */
  @Benchmark
  public boolean verifyConsistency() {
    ProofVerifier.verifyConsistency(first, leaves, firstRoot, root, consistencyProof);
    return true;
  }

  /** The root at a seeded earlier size, as a checkpoint request for an old size needs. */
  @Benchmark
  public byte[] rootOfSize() {
    return tree.root(sizes[next++ & (QUERIES - 1)]);
  }

  /** The root at the current size, from the compact range: what each checkpoint signs. */
  @Benchmark
  public byte[] rootNow() {
    return tree.root();
  }

  private static MerkleTree treeOf(byte[][] leafHashes) {
    MerkleTree t = new MerkleTree();
    for (byte[] h : leafHashes) {
      t.append(h);
    }
    return t;
  }
}
