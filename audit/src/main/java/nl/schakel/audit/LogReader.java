package nl.schakel.audit;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads a {@link FileAuditLog} directory for an auditor: read-only, without taking the
 * directory's lock and without repairing anything, so it may run next to a live gateway.
 *
 * <p>Why reading without the lock is safe: segments are append-only and frames carry their index
 * and a CRC32C, so a reader accepts only whole, checked frames. The one thing a live writer (or a
 * crash) can leave is an incomplete tail at the end of the newest segment; it is reported in
 * {@link Result#warnings()} and not counted, exactly what recovery would cut off. Damage anywhere
 * else is {@link CorruptLogException}, naming the entry index, file and offset.
 */
public final class LogReader {

  /**
   * The tree over every complete entry read, and why reading stopped early if it did.
   *
   * @param tree the Merkle tree over the entries' leaf hashes, in index order
   * @param warnings an incomplete tail that was ignored; empty when every byte was accounted for
   */
  public record Result(MerkleTree tree, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  private LogReader() {}

  /** Reads every segment in {@code dir}; throws {@link CorruptLogException} on damage. */
  public static Result read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    Map<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
      for (Path path : listing) {
        OptionalLong first = Segment.firstIndexOf(path.getFileName().toString());
        if (first.isPresent()) {
          files.put(first.getAsLong(), path);
        }
      }
    }
    if (files.isEmpty()) {
      throw new CorruptLogException(dir + " holds no segment file: not an audit log directory");
    }
    MerkleTree tree = new MerkleTree();
    List<String> warnings = new ArrayList<>();
    int remaining = files.size();
    for (Map.Entry<Long, Path> file : files.entrySet()) {
      boolean newest = --remaining == 0;
      if (file.getKey() != tree.size()) {
        throw new CorruptLogException(
            file.getValue()
                + " starts at index "
                + file.getKey()
                + ", expected "
                + tree.size()
                + ": a segment is missing, or entries were deleted");
      }
      readSegment(file.getValue(), newest, tree).ifPresent(warnings::add);
    }
    return new Result(tree, warnings);
  }

  // Returns a warning when the newest segment ends in an incomplete tail.
  private static Optional<String> readSegment(Path path, boolean newest, MerkleTree tree)
      throws IOException {
    long size = Files.size(path);
    try (InputStream raw = Files.newInputStream(path);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (size < Segment.MAGIC.length) {
        return tail(path, newest, 0, tree.size(), "segment header incomplete");
      }
      byte[] magic = new byte[Segment.MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, Segment.MAGIC)) {
        if (newest && size == magic.length && Arrays.equals(magic, new byte[magic.length])) {
          return tail(path, true, 0, tree.size(), "segment header not yet written");
        }
        throw new CorruptLogException(
            path + " does not start with the header \"schakel-audit-v1\"");
      }
      long position = magic.length;
      byte[] headerBytes = new byte[Frame.HEADER_BYTES];
      while (position < size) {
        long index = tree.size();
        long left = size - position;
        if (left < Frame.HEADER_BYTES) {
          return tail(path, newest, position, index, "partial frame header");
        }
        in.readFully(headerBytes);
        Frame.Header header = Frame.Header.read(ByteBuffer.wrap(headerBytes));
        Optional<String> lengthProblem = header.lengthProblem();
        if (lengthProblem.isPresent()) {
          return tail(path, newest, position, index, lengthProblem.get());
        }
        if (left - Frame.HEADER_BYTES < header.length()) {
          return tail(path, newest, position, index, "partial frame");
        }
        byte[] entry = new byte[header.length()];
        in.readFully(entry);
        Optional<String> problem = Frame.check(header, entry, index);
        long end = position + Frame.HEADER_BYTES + entry.length;
        if (problem.isPresent()) {
          // A complete frame followed by more frames was acknowledged: a changed entry. Only the
          // very last frame of the newest segment may be a write still in progress.
          if (end < size || !newest) {
            throw new CorruptLogException(
                "entry " + index + " in " + path + " at offset " + position
                    + " was changed after it was written: " + problem.get());
          }
          return tail(path, true, position, index, problem.get());
        }
        tree.append(MerkleHash.leafHash(entry));
        position = end;
      }
      return Optional.empty();
    }
  }

  private static Optional<String> tail(
      Path path, boolean newest, long offset, long index, String why) throws CorruptLogException {
    if (!newest) {
      throw new CorruptLogException(
          path + " is damaged at offset " + offset + " (entry " + index + "): " + why
              + ", but it is not the newest segment, so acknowledged entries follow");
    }
    return Optional.of(
        path + ": ignored an incomplete tail at offset " + offset + " (" + why
            + "): a write in progress or a crash; entries from index " + index
            + " on are not audited");
  }
}
