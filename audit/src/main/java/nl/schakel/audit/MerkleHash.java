package nl.schakel.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash function of the log, RFC 9162 section 2.1.1: SHA-256 with one-byte domain separation,
 * so that a leaf can never be passed off as an interior node (the second-preimage attack on
 * unprefixed Merkle trees).
 *
 * <p>This class is the only code the writer and the auditor's verifier share.
 */
public final class MerkleHash {

  /** Length in bytes of every hash in the log: leaf hashes, node hashes and roots. */
  public static final int HASH_BYTES = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private MerkleHash() {}

  /** Returns SHA-256(0x00 || entry), the hash of one leaf. Accepts any entry, including empty. */
  public static byte[] leafHash(byte[] entry) {
    MessageDigest sha256 = sha256();
    sha256.update(LEAF_PREFIX);
    sha256.update(entry);
    return sha256.digest();
  }

  /** Returns SHA-256(0x01 || left || right). Requires both children to be 32-byte hashes. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    requireHash("left child", left);
    requireHash("right child", right);
    MessageDigest sha256 = sha256();
    sha256.update(NODE_PREFIX);
    sha256.update(left);
    sha256.update(right);
    return sha256.digest();
  }

  /** Returns the root of the empty tree, SHA-256 of the empty string (RFC 9162 section 2.1.1). */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  static void requireHash(String what, byte[] hash) {
    if (hash.length != HASH_BYTES) {
      throw new IllegalArgumentException(
          what + " hash has " + hash.length + " bytes, expected " + HASH_BYTES);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide SHA-256 (MessageDigest javadoc).
      throw new AssertionError("SHA-256 missing from this JDK", e);
    }
  }
}
