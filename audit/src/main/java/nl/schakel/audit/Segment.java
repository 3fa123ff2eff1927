package nl.schakel.audit;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file: a 16-byte header naming the format, then frames of consecutive entries. The
 * file name carries the index of its first entry ({@code segment-00000000000000000000.log}).
 *
 * <p>The frame offsets are kept in memory so that {@link #read} needs one seek. Not thread-safe:
 * {@link SegmentStore} guards the offsets; reads of frame bytes use positional I/O, which {@link
 * FileChannel} allows concurrently with the single writer.
 */
final class Segment {

  /** The header of every segment; the format version is its last character. */
  static final byte[] MAGIC = "schakel-audit-v1".getBytes(StandardCharsets.US_ASCII);

  private static final Pattern FILE_NAME = Pattern.compile("segment-(\\d{20})\\.log");

  final Path path;
  final long firstIndex;
  private final FileChannel channel;
  private long[] frameOffsets = new long[64];
  private int frames;
  private long end;

  private Segment(Path path, long firstIndex, FileChannel channel, long end) {
    this.path = path;
    this.firstIndex = firstIndex;
    this.channel = channel;
    this.end = end;
  }

  static String fileName(long firstIndex) {
    return String.format("segment-%020d.log", firstIndex);
  }

  /** Returns the first index a segment file name carries, or empty if it is no segment's name. */
  static OptionalLong firstIndexOf(String fileName) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Creates a new, empty segment and makes it durable, name included. Requires that no file of
   * that name exists.
   */
  static Segment create(Path dir, long firstIndex, ChannelOpener opener) throws IOException {
    Path path = dir.resolve(fileName(firstIndex));
    FileChannel channel =
        opener.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment segment = new Segment(path, firstIndex, channel, 0);
    try {
      segment.writeHeader();
      Durability.syncDirectory(dir);
    } catch (IOException | RuntimeException e) {
      segment.close();
      throw e;
    }
    return segment;
  }

  /** Opens an existing segment for {@link #scan}. */
  static Segment open(Path path, long firstIndex, ChannelOpener opener) throws IOException {
    FileChannel channel = opener.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Segment(path, firstIndex, channel, 0);
  }

  /** What the first bytes of an opened file say. */
  enum HeaderState {
    VALID,
    /** Shorter than a header, or a header of zeros with nothing after: a crash during create. */
    TORN,
    /** Something else: not a segment of this format. */
    FOREIGN
  }

  HeaderState readHeader() throws IOException {
    long size = channel.size();
    if (size < MAGIC.length) {
      return HeaderState.TORN;
    }
    ByteBuffer header = ByteBuffer.allocate(MAGIC.length);
    readFully(header, 0);
    byte[] bytes = header.array();
    if (Arrays.equals(bytes, MAGIC)) {
      return HeaderState.VALID;
    }
    return size == MAGIC.length && Arrays.equals(bytes, new byte[MAGIC.length])
        ? HeaderState.TORN
        : HeaderState.FOREIGN;
  }

  /** Replaces whatever the file holds by a bare header, durably. Only for a TORN header. */
  void writeHeader() throws IOException {
    channel.truncate(0);
    writeFully(ByteBuffer.wrap(MAGIC), 0);
    channel.force(true);
    end = MAGIC.length;
  }

  /** What {@link #scan} found. {@code damage} says why the frame at {@code validEnd} is bad. */
  record Scan(long validEnd, Optional<String> damage) {}

  /**
   * Reads every frame after a VALID header, feeding each entry to {@code onEntry} and recording its
   * offset, and stops at the end of the file or at the first frame that is torn or fails its
   * checks. Requires a fresh segment whose header {@link #readHeader} found VALID.
   */
  Scan scan(Consumer<byte[]> onEntry) throws IOException {
    long size = channel.size();
    long position = MAGIC.length;
    channel.position(position);
    // Not closed: closing the stream would close the channel the segment keeps.
    InputStream raw = Channels.newInputStream(channel);
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    byte[] headerBytes = new byte[Frame.HEADER_BYTES];
    while (position < size) {
      long remaining = size - position;
      if (remaining < Frame.HEADER_BYTES) {
        return damagedAt(position, "partial frame header of " + remaining + " bytes at end of file");
      }
      in.readFully(headerBytes);
      Frame.Header header = Frame.Header.read(ByteBuffer.wrap(headerBytes));
      Optional<String> lengthProblem = header.lengthProblem();
      if (lengthProblem.isPresent()) {
        return damagedAt(position, lengthProblem.get());
      }
      if (remaining - Frame.HEADER_BYTES < header.length()) {
        return damagedAt(
            position,
            "partial frame: "
                + header.length()
                + " entry bytes declared, "
                + (remaining - Frame.HEADER_BYTES)
                + " present");
      }
      byte[] entry = new byte[header.length()];
      in.readFully(entry);
      long index = firstIndex + frames;
      Optional<String> problem = Frame.check(header, entry, index);
      if (problem.isPresent()) {
        return damagedAt(position, problem.get());
      }
      onEntry.accept(entry);
      addFrame(position);
      position += Frame.HEADER_BYTES + entry.length;
      end = position;
    }
    end = position;
    return new Scan(position, Optional.empty());
  }

  private Scan damagedAt(long position, String why) {
    end = position;
    return new Scan(position, Optional.of(why));
  }

  /** Cuts the file after the last good frame, durably; returns the bytes cut. */
  long truncateToEnd() throws IOException {
    long cut = channel.size() - end;
    channel.truncate(end);
    channel.force(true);
    return cut;
  }

  long entryCount() {
    return frames;
  }

  /** Returns the byte length of the frames published so far, header included. */
  long end() {
    return end;
  }

  /** Writes {@code bytes} at {@code position}; not durable until {@link #force}. */
  void write(ByteBuffer bytes, long position) throws IOException {
    writeFully(bytes, position);
  }

  void force() throws IOException {
    // force(false) is fdatasync: it includes the file length, which is all reading back needs.
    channel.force(false);
  }

  /** Makes frames written at {@code offsets} readable; {@code newEnd} is the end of the last. */
  void publish(long[] offsets, long newEnd) {
    for (long offset : offsets) {
      addFrame(offset);
    }
    end = newEnd;
  }

  /** Returns the byte offset of entry {@code index}. Requires it to be in this segment. */
  long offsetOf(long index) {
    return frameOffsets[Math.toIntExact(index - firstIndex)];
  }

  /**
   * Reads entry {@code index} from {@code offset} and checks its frame again, so that bytes
   * changed on disk after the write are reported, not served.
   */
  byte[] read(long index, long offset) throws IOException {
    ByteBuffer headerBytes = ByteBuffer.allocate(Frame.HEADER_BYTES);
    readFully(headerBytes, offset);
    Frame.Header header = Frame.Header.read(headerBytes.flip());
    Optional<String> lengthProblem = header.lengthProblem();
    if (lengthProblem.isPresent()) {
      throw damaged(index, offset, lengthProblem.get());
    }
    byte[] entry = new byte[header.length()];
    readFully(ByteBuffer.wrap(entry), offset + Frame.HEADER_BYTES);
    Optional<String> problem = Frame.check(header, entry, index);
    if (problem.isPresent()) {
      throw damaged(index, offset, problem.get());
    }
    return entry;
  }

  void close() throws IOException {
    channel.close();
  }

  private AuditLogException damaged(long index, long offset, String why) {
    return new AuditLogException(
        "entry " + index + " in " + path + " at offset " + offset + " changed on disk after it was "
            + "written: " + why);
  }

  private void addFrame(long offset) {
    if (frames == frameOffsets.length) {
      frameOffsets = Arrays.copyOf(frameOffsets, frames * 2);
    }
    frameOffsets[frames++] = offset;
  }

  private void readFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new EOFException(path + " ends at " + position + ", expected " + buffer.remaining()
            + " more bytes");
      }
      position += n;
    }
  }

  private void writeFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
  }
}
