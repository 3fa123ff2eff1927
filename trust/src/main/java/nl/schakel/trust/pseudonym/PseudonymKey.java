package nl.schakel.trust.pseudonym;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import nl.schakel.trust.io.OwnerOnlyFile;

/**
 * A 256-bit secret key for pseudonymisation. The federation has two: the matching key (shared by
 * gateway and nodes) and the audit key (gateway only). The key material never leaves this
 * package except into a key file, and {@link #toString()} never shows it.
 *
 * <p>Key file format: the base64 of the 32 bytes followed by a newline, mode 0600.
 */
public final class PseudonymKey {

  /** The HMAC-SHA256 output length: RFC 2104 section 3 discourages shorter keys. */
  public static final int LENGTH = 32;

  private final byte[] material;

  private PseudonymKey(byte[] material) {
    this.material = material;
  }

  /** A fresh random key. */
  public static PseudonymKey generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] material = new byte[LENGTH];
    random.nextBytes(material);
    return new PseudonymKey(material);
  }

  /**
   * A key from existing material, e.g. from a secret store; the array is copied.
   *
   * @throws IllegalArgumentException unless exactly {@value #LENGTH} bytes
   */
  public static PseudonymKey of(byte[] material) {
    if (material == null || material.length != LENGTH) {
      throw new IllegalArgumentException(
          "pseudonym key must be " + LENGTH + " bytes, found "
              + (material == null ? "none" : material.length + " bytes"));
    }
    return new PseudonymKey(material.clone());
  }

  /**
   * Reads a key file written by {@link #writeTo(Path)}: base64 of 32 bytes, surrounding
   * whitespace ignored.
   *
   * @throws IOException if the file cannot be read, or does not hold base64 of exactly 32 bytes
   *     (the message names the file, never its content)
   */
  public static PseudonymKey readFrom(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    byte[] material;
    try {
      material = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "pseudonym key file " + file + " must hold the base64 of " + LENGTH
              + " bytes on one line, but it is not valid base64");
    }
    if (material.length != LENGTH) {
      throw new IOException(
          "pseudonym key file " + file + " must hold the base64 of " + LENGTH
              + " bytes, found " + material.length + " bytes");
    }
    return new PseudonymKey(material);
  }

  /**
   * Writes the key to a new file readable by the owner only (0600 where the file system has POSIX
   * permissions).
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists; it is left as is
   */
  public void writeTo(Path file) throws IOException {
    byte[] text = (Base64.getEncoder().encodeToString(material) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    OwnerOnlyFile.createNew(file, text);
  }

  /** The raw key for the HMAC, package-private so key material stays inside this package. */
  byte[] material() {
    return material.clone();
  }

  @Override
  public String toString() {
    return "PseudonymKey[redacted]";
  }
}
