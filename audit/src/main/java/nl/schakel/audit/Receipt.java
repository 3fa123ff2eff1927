package nl.schakel.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Proof that an entry is in the log, checkable offline by anyone holding the verifier key: the
 * entry's {@code logIndex} and {@code leafHash}, its {@code inclusionProof} in the tree of {@code
 * treeSize}, and the signed {@code checkpoint} of that tree.
 */
public record Receipt(
    long logIndex, long treeSize, byte[] leafHash, List<byte[]> inclusionProof, String checkpoint) {

  /** Copies every array; requires non-null parts. */
  public Receipt {
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(checkpoint, "checkpoint");
    leafHash = leafHash.clone();
    List<byte[]> copy = new ArrayList<>();
    for (byte[] hash : inclusionProof) {
      copy.add(Objects.requireNonNull(hash, "inclusionProof hash").clone());
    }
    inclusionProof = List.copyOf(copy);
  }

  /**
   * The receipt of an append: the checkpoint the result carries and the proof against it.
   * Requires a result with a checkpoint, from {@code log}.
   */
  public static Receipt of(AuditLog log, AppendResult result) {
    String checkpoint =
        result
            .checkpoint()
            .orElseThrow(
                () -> new IllegalArgumentException("the log signs no checkpoints: no receipt"));
    return new Receipt(
        result.index(),
        result.treeSize(),
        result.leafHash(),
        log.inclusionProof(result.index(), result.treeSize()),
        checkpoint);
  }

  @Override
  public byte[] leafHash() {
    return leafHash.clone();
  }

  @Override
  public List<byte[]> inclusionProof() {
    return inclusionProof.stream().map(byte[]::clone).toList();
  }

  /**
   * Checks the checkpoint's signature, that it is of tree size {@code treeSize}, and that the leaf
   * is at {@code logIndex} under its root; returns the checkpoint. Throws {@link
   * CheckpointException} or {@link ProofException}.
   */
  public Checkpoint verify(CheckpointVerifier verifier) {
    Checkpoint signed = verifier.verify(checkpoint);
    if (signed.size() != treeSize) {
      throw new CheckpointException(
          "receipt claims tree size " + treeSize + ", its checkpoint signs " + signed.size());
    }
    ProofVerifier.verifyInclusion(leafHash, logIndex, treeSize, inclusionProof, signed.rootHash());
    return signed;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Receipt other) || other.inclusionProof.size() != inclusionProof.size()) {
      return false;
    }
    for (int i = 0; i < inclusionProof.size(); i++) {
      if (!Arrays.equals(inclusionProof.get(i), other.inclusionProof.get(i))) {
        return false;
      }
    }
    return logIndex == other.logIndex
        && treeSize == other.treeSize
        && Arrays.equals(leafHash, other.leafHash)
        && checkpoint.equals(other.checkpoint);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(logIndex, treeSize, Arrays.hashCode(leafHash), checkpoint);
    for (byte[] hash : inclusionProof) {
      h = 31 * h + Arrays.hashCode(hash);
    }
    return h;
  }

  @Override
  public String toString() {
    return "Receipt[logIndex=" + logIndex + ", treeSize=" + treeSize + "]";
  }
}
