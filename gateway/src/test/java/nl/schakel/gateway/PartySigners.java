package nl.schakel.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantSignatures;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.PartySignature;
import nl.schakel.trust.sign.SigningKey;

/**
 * Every party of a test convenant with its own Ed25519 signing key: private keys under {@code
 * DIR/signing/}, public keys under {@code DIR/party-keys/} (what gateway and nodes read as {@code
 * party-keys}). Keys come from a seed per party, so runs repeat. The repository's convenant is
 * never signed in place: tests sign a copy in their temporary directory.
 */
final class PartySigners {
  private final Path signing;
  private final Path publicKeys;

  PartySigners(Path dir) throws IOException {
    this.signing = Files.createDirectories(dir.resolve("signing"));
    this.publicKeys = Files.createDirectories(dir.resolve("party-keys"));
  }

  Path partyKeys() {
    return publicKeys;
  }

  /** {@code party}'s signing key, created (and its public key published) on first use. */
  SigningKey key(String party) throws IOException {
    Path file = signing.resolve(party + ".key.pem");
    if (Files.exists(file)) {
      return SigningKey.readPem(file);
    }
    SigningKey key = SigningKey.generate(seeded(party));
    key.writeTo(file);
    Files.writeString(publicKeys.resolve(PartyKeys.keyFileName(party)), key.verifyingKey().toPem(),
        StandardCharsets.US_ASCII);
    return key;
  }

  /** A copy of {@code covenant} at {@code copy}, signed by every party it names. */
  Path signedCopy(Path covenant, Path copy) throws Exception {
    Files.createDirectories(copy.getParent());
    Files.copy(covenant, copy);
    signAs(copy, List.copyOf(CovenantParser.parse(copy).parties().keySet()));
    return copy;
  }

  /** Signs {@code yaml} (its {@code .sigs} beside it) as exactly {@code parties}. */
  void signAs(Path yaml, List<String> parties) throws Exception {
    Covenant covenant = CovenantParser.parse(yaml);
    CovenantSignatures sigs = CovenantSignatures.none(covenant);
    for (String party : parties) {
      sigs = sigs.with(PartySignature.sign(covenant, party, key(party)));
    }
    sigs.writeTo(CovenantSignatures.sigsFileFor(yaml));
  }

  private static SecureRandom seeded(String party) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(("schakel-test-party:" + party).getBytes(StandardCharsets.UTF_8));
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA1PRNG", e);
    }
  }
}
