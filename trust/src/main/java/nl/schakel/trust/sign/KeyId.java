package nl.schakel.trust.sign;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names a public key: lower-case hex of the first {@value #BYTES} bytes of SHA-256 over the raw
 * 32-byte Ed25519 public key (COVENANT.md "Signing"), e.g. {@code 3f0a6c2d9e81b7a4}. Derived from
 * the key itself, so no registry can hand out a wrong one; 64 bits cannot collide by accident
 * among a federation's keys. It is a hint for choosing a key, never proof: only a signature that
 * verifies proves anything.
 */
public final class KeyId {

  /** Bytes of the SHA-256 kept; the id is twice as many hex characters. */
  public static final int BYTES = 8;

  private static final Pattern FORM = Pattern.compile("[0-9a-f]{" + 2 * BYTES + "}");

  private final String value;

  private KeyId(String value) {
    this.value = value;
  }

  /** The id of {@code key}. */
  public static KeyId of(VerifyingKey key) {
    Objects.requireNonNull(key, "key");
    return ofRaw(key.raw());
  }

  static KeyId ofRaw(byte[] rawPublicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawPublicKey);
      return new KeyId(HexFormat.of().formatHex(digest, 0, BYTES));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  /**
   * Reads an id as written in signature files and envelopes.
   *
   * @throws IllegalArgumentException unless exactly {@value #BYTES}*2 lower-case hex characters
   *     (the message does not echo the input)
   */
  public static KeyId parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "a key id is " + 2 * BYTES + " lower-case hex characters (0-9, a-f), found "
              + (text == null ? "none" : text.length() + " characters"
                  + (text.length() == 2 * BYTES ? " that are not all lower-case hex" : "")));
    }
    return new KeyId(text);
  }

  /** The {@value #BYTES}*2 lower-case hex characters. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyId other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
