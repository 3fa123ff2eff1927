package nl.schakel.covenant;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.VerifyingKey;

/** Deterministic signing keys for the parties of a test convenant. */
final class PartyKeyring {
  private final Map<String, SigningKey> keys = new LinkedHashMap<>();
  private final long seed;

  PartyKeyring(long seed) {
    this.seed = seed;
  }

  /** The party's key, the same one on every call. */
  SigningKey key(String party) {
    return keys.computeIfAbsent(party, p -> generate(seed * 31 + p.hashCode()));
  }

  static SigningKey generate(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return SigningKey.generate(random);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Every party of {@code covenant} signs it. */
  CovenantSignatures signAll(Covenant covenant) {
    CovenantSignatures signatures = CovenantSignatures.none(covenant);
    for (String party : covenant.parties().keySet()) {
      signatures = signatures.with(PartySignature.sign(covenant, party, key(party)));
    }
    return signatures;
  }

  /** The public keys of every party of {@code covenant}. */
  PartyKeys publicKeys(Covenant covenant) {
    Map<String, List<VerifyingKey>> map = new LinkedHashMap<>();
    for (String party : covenant.parties().keySet()) {
      map.put(party, List.of(key(party).verifyingKey()));
    }
    return PartyKeys.of(map);
  }
}
