package nl.schakel.trust.pki;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Seeded randomness and fixed clocks, so that every run of the PKI tests is the same. */
final class Fixtures {

  static final Instant NOW = Instant.parse("2026-11-02T09:30:00Z");

  private Fixtures() {}

  static SecureRandom seeded(long seed) {
    try {
      // SHA1PRNG seeded before its first use is deterministic, unlike the default DRBG.
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }
}
