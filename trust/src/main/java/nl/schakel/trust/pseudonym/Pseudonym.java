package nl.schakel.trust.pseudonym;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 32-byte keyed pseudonym of an identifier. Immutable: the bytes are copied in and out.
 * Safe to log, but {@link #toString()} shows only a short prefix to keep lines readable.
 */
public final class Pseudonym {

  /** HMAC-SHA256 output length. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();
  private static final int SHORT_HEX_CHARS = 8;

  private final byte[] bytes;

  private Pseudonym(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} is exactly {@value #LENGTH} long
   */
  public static Pseudonym of(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "pseudonym must be " + LENGTH + " bytes, found "
              + (bytes == null ? "none" : bytes.length + " bytes"));
    }
    return new Pseudonym(bytes.clone());
  }

  /**
   * Parses the {@value #LENGTH}-byte pseudonym from 64 hex characters (either case).
   *
   * @throws IllegalArgumentException if {@code hex} is not 64 hex characters
   */
  public static Pseudonym fromHex(String hex) {
    if (hex == null || hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "pseudonym hex must be " + 2 * LENGTH + " characters, found "
              + (hex == null ? "none" : hex.length()));
    }
    try {
      return new Pseudonym(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pseudonym hex must hold only 0-9, a-f, A-F", e);
    }
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 64 lower-case hex characters of the pseudonym. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    // Constant time costs nothing here and keeps timing out of every review of a lookup path.
    return o instanceof Pseudonym other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** "psn:" and the first 8 hex characters, e.g. "psn:3fa2c91b". */
  @Override
  public String toString() {
    return "psn:" + toHex().substring(0, SHORT_HEX_CHARS);
  }
}
