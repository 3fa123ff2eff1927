package nl.schakel.covenant;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * Where the parties' public signing keys come from. A party may have two keys at once while it
 * rotates: a signature by either counts.
 *
 * <p>For now the keys are files in one directory ({@link #readDirectory(Path)}). The federation
 * PKI will replace that directory: signing keys certified by the federation CA, named by the SAN
 * URI {@code urn:schakel:party:<id>} (ARCHITECTURE.md "Identity, keys and trust"), behind this
 * same interface.
 */
@FunctionalInterface
public interface PartyKeys {

  /** The public keys of {@code party}, at most a few; empty when none is known. */
  List<VerifyingKey> keysOf(String party);

  /** The file holding {@code party}'s key: {@code <party>.pub.pem}. */
  static String keyFileName(String party) {
    return party + ".pub.pem";
  }

  /** The file holding {@code party}'s second key during a rotation: {@code <party>.2.pub.pem}. */
  static String rotationKeyFileName(String party) {
    return party + ".2.pub.pem";
  }

  /** Fixed keys, e.g. for tests or keys from another source; lists are copied. */
  static PartyKeys of(Map<String, List<VerifyingKey>> keys) {
    Map<String, List<VerifyingKey>> copy = new LinkedHashMap<>();
    keys.forEach((party, list) -> copy.put(party, List.copyOf(list)));
    return party -> copy.getOrDefault(party, List.of());
  }

  /**
   * Reads every {@code <party>.pub.pem} and {@code <party>.2.pub.pem} (SubjectPublicKeyInfo PEM,
   * RFC 8410) in {@code dir}. Other files, such as private keys beside them, are not read. The
   * directory is read once; later changes to it are not seen.
   *
   * @throws IOException if {@code dir} is not a readable directory, a {@code .pub.pem} file does
   *     not hold an Ed25519 public key, or its name is neither form (a key file that is silently
   *     skipped would make a valid signature look invalid)
   */
  static PartyKeys readDirectory(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new IOException("key directory " + dir + " does not exist or is not a directory");
    }
    Pattern name = Pattern.compile("(" + CovenantReader.NAME.pattern() + ")(\\.2)?\\.pub\\.pem");
    Map<String, List<VerifyingKey>> keys = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pub.pem")) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        Matcher m = name.matcher(fileName);
        if (!m.matches()) {
          throw new IOException(
              "key directory " + dir + " holds " + fileName + "; public key files are named"
                  + " <party>.pub.pem, or <party>.2.pub.pem for a second key during a rotation");
        }
        VerifyingKey key = VerifyingKey.readPem(file);
        List<VerifyingKey> list = keys.computeIfAbsent(m.group(1), p -> new ArrayList<>());
        if (!list.contains(key)) {
          list.add(m.group(2) == null ? 0 : list.size(), key);
        }
      }
    }
    return of(keys);
  }
}
