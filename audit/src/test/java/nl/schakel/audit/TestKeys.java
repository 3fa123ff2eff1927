package nl.schakel.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import nl.schakel.trust.sign.SigningKey;

/** Deterministic Ed25519 keys for tests, through the PKCS#8 PEM form trust reads. */
final class TestKeys {

  // RFC 8410 PKCS#8 prefix of an Ed25519 private key; the 32-byte seed follows.
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

  private TestKeys() {}

  static SigningKey fromSeed(byte[] seed, Path dir) {
    byte[] der = new byte[PKCS8_PREFIX.length + seed.length];
    System.arraycopy(PKCS8_PREFIX, 0, der, 0, PKCS8_PREFIX.length);
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, seed.length);
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
    try {
      Path file = Files.createTempFile(dir, "key", ".pem");
      Files.writeString(file, pem);
      return SigningKey.readPem(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SigningKey seeded(long seed, Path dir) {
    byte[] bytes = new byte[32];
    new Random(seed).nextBytes(bytes);
    return fromSeed(bytes, dir);
  }
}
