package nl.schakel.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantSignatures;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.PartySignature;
import nl.schakel.trust.sign.SigningKey;

/**
 * Every party of a test convenant, with its own Ed25519 signing key: private keys under {@code
 * DIR/signing/}, public keys under {@code DIR/party-keys/} (the node's {@code party-keys}). Keys
 * come from a seed per party name, so runs are repeatable. The repository's convenant files are
 * never signed in place: tests sign copies inside their temporary directory.
 */
public final class PartySigners {
  private final Path signing;
  private final Path publicKeys;

  public PartySigners(Path dir) throws IOException {
    this.signing = Files.createDirectories(dir.resolve("signing"));
    this.publicKeys = Files.createDirectories(dir.resolve("party-keys"));
  }

  /** The directory a node reads with {@code party-keys:}. */
  public Path partyKeys() {
    return publicKeys;
  }

  /** {@code party}'s signing key, created (and its public key published) on first use. */
  public SigningKey key(String party) throws IOException {
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

  /** Copies of {@code covenants} in {@code DIR/signed/<i>/}, each signed by every party it names. */
  public List<Path> signedCopies(Path dir, List<Path> covenants) throws IOException {
    List<Path> copies = new ArrayList<>();
    for (int i = 0; i < covenants.size(); i++) {
      Path copy = Files.createDirectories(dir.resolve("signed").resolve(Integer.toString(i)))
          .resolve(covenants.get(i).getFileName());
      Files.copy(covenants.get(i), copy, StandardCopyOption.REPLACE_EXISTING);
      signAs(copy, parties(copy));
      copies.add(copy);
    }
    return copies;
  }

  /** A copy of {@code covenant} at {@code copy}, signed by every party it names. */
  public Path signedCopy(Path covenant, Path copy) throws IOException {
    Files.createDirectories(copy.getParent());
    Files.copy(covenant, copy);
    signAs(copy, parties(copy));
    return copy;
  }

  /** Signs {@code yaml} in place (its {@code .sigs} beside it) as exactly {@code parties}. */
  public void signAs(Path yaml, List<String> parties) throws IOException {
    Covenant covenant = parse(yaml);
    CovenantSignatures sigs = CovenantSignatures.none(covenant);
    for (String party : parties) {
      sigs = sigs.with(PartySignature.sign(covenant, party, key(party)));
    }
    sigs.writeTo(CovenantSignatures.sigsFileFor(yaml));
  }

  /** Every party the convenant names, in its order. */
  public static List<String> parties(Path yaml) {
    return List.copyOf(parse(yaml).parties().keySet());
  }

  private static Covenant parse(Path yaml) {
    try {
      return CovenantParser.parse(yaml);
    } catch (Exception e) {
      throw new IllegalStateException("test convenant " + yaml + " does not parse: " + e.getMessage(), e);
    }
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
