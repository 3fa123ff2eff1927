package nl.schakel.audit;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The body of a C2SP tlog-checkpoint: the log's {@code origin}, a tree {@code size} and that
 * tree's RFC 9162 {@code rootHash}. As text: {@code <origin>\n<size in decimal>\n<base64
 * root>\n}; signed, it is the text of a signed note (see {@link SignedNote}).
 *
 * <p>The root is copied in and out, and the record compares by content.
 */
public record Checkpoint(String origin, long size, byte[] rootHash) {

  /** Requires a non-empty single-line origin, size >= 0 and a 32-byte root. */
  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (origin.isEmpty() || origin.indexOf('\n') >= 0 || SignedNote.hasControl(origin)) {
      throw new IllegalArgumentException(
          "a checkpoint origin is one non-empty line without control characters");
    }
    if (size < 0) {
      throw new IllegalArgumentException("expected tree size >= 0, found " + size);
    }
    MerkleHash.requireHash("root", rootHash);
    rootHash = rootHash.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** Returns the checkpoint body: origin, size and base64 root, each line ending in a newline. */
  public String body() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
  }

  /**
   * Parses a checkpoint body strictly: exactly three lines, a canonical decimal size (no sign, no
   * leading zero) and a canonical padded base64 root of 32 bytes. Extension lines, which the spec
   * allows, are rejected: this log never writes them, so one would mean a note of another log.
   */
  static Checkpoint parseBody(String body) {
    if (!body.endsWith("\n")) {
      throw new CheckpointException("checkpoint body must end with a newline");
    }
    String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
    if (lines.length != 3) {
      throw new CheckpointException(
          "expected a checkpoint of 3 lines (origin, size, root), found " + lines.length);
    }
    String origin = lines[0];
    if (origin.isEmpty()) {
      throw new CheckpointException("checkpoint origin line is empty");
    }
    if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new CheckpointException(
          "checkpoint size must be a decimal number without sign or leading zero, found '"
              + abbreviate(lines[1])
              + "'");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new CheckpointException("checkpoint size " + lines[1] + " is too large");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint root is not base64: " + e.getMessage());
    }
    if (root.length != MerkleHash.HASH_BYTES
        || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
      throw new CheckpointException(
          "checkpoint root must be the canonical base64 of 32 bytes, found "
              + root.length
              + " bytes in '"
              + abbreviate(lines[2])
              + "'");
    }
    try {
      return new Checkpoint(origin, size, root);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(e.getMessage());
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint other
        && origin.equals(other.origin)
        && size == other.size
        && Arrays.equals(rootHash, other.rootHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(rootHash));
  }

  @Override
  public String toString() {
    return "Checkpoint[origin=" + origin + ", size=" + size + ", rootHash="
        + HexFormat.of().formatHex(rootHash) + "]";
  }
}
