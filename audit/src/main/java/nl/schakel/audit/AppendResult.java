package nl.schakel.audit;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an appended entry landed: its {@code index}, and the tree of size {@code treeSize} with
 * root {@code rootHash} that covers it (index < treeSize). Several entries committed together
 * share one tree size and root: that of the tree right after their batch.
 *
 * <p>{@code checkpoint}, when the log signs checkpoints, is the C2SP signed checkpoint of exactly
 * that tree (size {@code treeSize}, root {@code rootHash}): with {@link AuditLog#inclusionProof} it
 * makes a receipt anyone holding the verifier key can check offline.
 *
 * <p>The hashes are copied in and out, so nobody can change a result after the fact, and the
 * record compares by content (unlike a record's default for arrays).
 */
public record AppendResult(
    long index, long treeSize, byte[] leafHash, byte[] rootHash, Optional<String> checkpoint) {

  /** A result without a signed checkpoint. Requires 0 <= index < treeSize and 32-byte hashes. */
  public AppendResult(long index, long treeSize, byte[] leafHash, byte[] rootHash) {
    this(index, treeSize, leafHash, rootHash, Optional.empty());
  }

  /** Requires 0 <= index < treeSize and 32-byte hashes. */
  public AppendResult {
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (index < 0 || index >= treeSize) {
      throw new IllegalArgumentException(
          "expected 0 <= index < treeSize (" + treeSize + "), found index " + index);
    }
    MerkleHash.requireHash("leaf", leafHash);
    MerkleHash.requireHash("root", rootHash);
    leafHash = leafHash.clone();
    rootHash = rootHash.clone();
  }

  /** Returns a copy of RFC 9162's leaf hash of the entry. */
  @Override
  public byte[] leafHash() {
    return leafHash.clone();
  }

  /** Returns a copy of the root of the tree of size {@link #treeSize()}. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AppendResult other
        && index == other.index
        && treeSize == other.treeSize
        && Arrays.equals(leafHash, other.leafHash)
        && Arrays.equals(rootHash, other.rootHash)
        && checkpoint.equals(other.checkpoint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, treeSize, Arrays.hashCode(leafHash), Arrays.hashCode(rootHash), checkpoint);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "AppendResult[index="
        + index
        + ", treeSize="
        + treeSize
        + ", leafHash="
        + hex.formatHex(leafHash)
        + ", rootHash="
        + hex.formatHex(rootHash)
        + (checkpoint.isPresent() ? ", signed checkpoint" : "")
        + "]";
  }
}
