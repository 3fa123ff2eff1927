package nl.schakel.audit;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one entry: {@code [u32 length][u32 crc32c][u64 index][entry bytes]}, big
 * endian. The checksum covers index, length and entry, so a frame that was torn, overwritten or
 * copied to the wrong place is recognised, not trusted.
 */
final class Frame {

  static final int HEADER_BYTES = 16;

  private Frame() {}

  /** Returns the bytes {@link #write} takes for {@code entry}. */
  static int size(byte[] entry) {
    return HEADER_BYTES + entry.length;
  }

  /** Writes the frame of {@code entry} at {@code index}. Requires size(entry) bytes remaining. */
  static void write(ByteBuffer out, long index, byte[] entry) {
    out.putInt(entry.length);
    out.putInt(checksum(index, entry));
    out.putLong(index);
    out.put(entry);
  }

  static int checksum(long index, byte[] entry) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(index).putInt(entry.length).flip());
    crc.update(entry);
    return (int) crc.getValue();
  }

  /** The fixed-size start of a frame, as read; nothing in it is trusted until {@link #check}. */
  record Header(int length, int checksum, long index) {

    /** Reads a header. Requires HEADER_BYTES bytes remaining. */
    static Header read(ByteBuffer in) {
      return new Header(in.getInt(), in.getInt(), in.getLong());
    }

    /** Returns why a frame with this header cannot hold an entry, if it cannot. */
    Optional<String> lengthProblem() {
      if (length < 0 || length > AuditLog.MAX_ENTRY_BYTES) {
        return Optional.of(
            "frame declares "
                + Integer.toUnsignedString(length)
                + " entry bytes, expected at most "
                + AuditLog.MAX_ENTRY_BYTES);
      }
      return Optional.empty();
    }
  }

  /** Returns why the frame {@code header, entry} is not entry {@code expectedIndex}, if it is not. */
  static Optional<String> check(Header header, byte[] entry, long expectedIndex) {
    int actual = checksum(header.index(), entry);
    if (actual != header.checksum()) {
      return Optional.of(
          "CRC32C is "
              + Integer.toHexString(actual)
              + ", expected "
              + Integer.toHexString(header.checksum()));
    }
    if (header.index() != expectedIndex) {
      return Optional.of("frame holds index " + header.index() + ", expected " + expectedIndex);
    }
    return Optional.empty();
  }
}
