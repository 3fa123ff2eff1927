package nl.schakel.covenant;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import nl.schakel.trust.sign.KeyId;

/**
 * The signatures beside a convenant file: {@code zvo-midden.v3.yaml} has {@code
 * zvo-midden.v3.sigs}, one line per party that signed, {@code <party-id> <key-id> <base64
 * signature>} (COVENANT.md "Signing"). Bound to one convenant: every line names one of its
 * parties, at most once. Immutable; {@link #with(PartySignature)} gives a new set.
 *
 * <p>Format, read strictly so that no line is silently ignored: ASCII; lines end in LF (a CR
 * before it is tolerated, as Git on Windows writes it); no empty lines, comments or extra
 * spaces; fields separated by one space; key id 16 lower-case hex characters; the signature
 * standard base64 with padding of exactly 64 bytes. Lines may come in any order; this class writes
 * them in the convenant's party order.
 */
public final class CovenantSignatures {

  /** What replaces {@code .yaml} in the convenant's file name. */
  public static final String EXTENSION = ".sigs";

  /** Far more than a line per party of a national federation; a guard against junk. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  private final Covenant covenant;
  private final Map<String, PartySignature> byParty;

  private CovenantSignatures(Covenant covenant, Map<String, PartySignature> byParty) {
    this.covenant = covenant;
    this.byParty = byParty;
  }

  /** No signatures yet. */
  public static CovenantSignatures none(Covenant covenant) {
    return new CovenantSignatures(Objects.requireNonNull(covenant, "covenant"), Map.of());
  }

  /**
   * Where the signatures of {@code yaml} live: the same name with {@code .yaml} (or {@code .yml})
   * replaced by {@value #EXTENSION}, or {@value #EXTENSION} appended to any other name.
   */
  public static Path sigsFileFor(Path yaml) {
    Path name = yaml.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("a convenant file name is needed, found " + yaml);
    }
    String base = name.toString();
    for (String suffix : List.of(".yaml", ".yml")) {
      if (base.endsWith(suffix) && base.length() > suffix.length()) {
        base = base.substring(0, base.length() - suffix.length());
        break;
      }
    }
    return yaml.resolveSibling(base + EXTENSION);
  }

  /**
   * Reads the signature file of {@code covenant}; a file that does not exist means no signatures.
   *
   * @throws IOException if the file exists but cannot be read
   * @throws CovenantSignaturesException if any line breaks the format, names a party that is not
   *     one of {@code covenant}'s, or repeats a party; messages carry line and column
   */
  public static CovenantSignatures read(Path sigsFile, Covenant covenant)
      throws IOException, CovenantSignaturesException {
    Objects.requireNonNull(covenant, "covenant");
    String name =
        Optional.ofNullable(sigsFile.getFileName()).map(Path::toString).orElse(sigsFile.toString());
    byte[] bytes;
    try (InputStream in = Files.newInputStream(sigsFile)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return none(covenant);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new CovenantSignaturesException(
          List.of(new ValidationError(name, 0, 0, "file is larger than " + MAX_FILE_BYTES + " bytes")));
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] < 0) {
        int line = 1;
        int lineStart = 0;
        for (int j = 0; j < i; j++) {
          if (bytes[j] == '\n') {
            line++;
            lineStart = j + 1;
          }
        }
        throw new CovenantSignaturesException(
            List.of(new ValidationError(name, line, i - lineStart + 1,
                "only ASCII belongs in a signature file, found byte 0x"
                    + Integer.toHexString(bytes[i] & 0xff))));
      }
    }
    return parse(new String(bytes, StandardCharsets.US_ASCII), name, covenant);
  }

  /**
   * Parses signature-file text; {@code fileName} is used in messages.
   *
   * @throws CovenantSignaturesException as {@link #read(Path, Covenant)}
   */
  public static CovenantSignatures parse(String text, String fileName, Covenant covenant)
      throws CovenantSignaturesException {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(covenant, "covenant");
    List<ValidationError> errors = new ArrayList<>();
    Map<String, PartySignature> byParty = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    // A final LF ends the last line; it does not start an empty one.
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    for (int i = 0; i < count && errors.size() < Problems.MAX_ERRORS; i++) {
      int lineNo = i + 1;
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      new LineReader(fileName, lineNo, line, covenant, errors)
          .read()
          .ifPresent(
              s -> {
                Integer first = lineOf.putIfAbsent(s.party(), lineNo);
                if (first != null) {
                  errors.add(
                      new ValidationError(fileName, lineNo, 1,
                          "party '" + s.party() + "' already signed on line " + first
                              + "; one line per party"));
                } else {
                  byParty.put(s.party(), s);
                }
              });
    }
    if (!errors.isEmpty()) {
      throw new CovenantSignaturesException(errors);
    }
    return new CovenantSignatures(covenant, byParty);
  }

  /** {@code party}'s signature, if it signed. */
  public Optional<PartySignature> of(String party) {
    return Optional.ofNullable(byParty.get(party));
  }

  /** Every signature, in the convenant's party order. */
  public List<PartySignature> all() {
    return covenant.parties().keySet().stream()
        .map(byParty::get)
        .filter(Objects::nonNull)
        .toList();
  }

  /**
   * These signatures with {@code signature} added, or replacing the line of the same party.
   *
   * @throws IllegalArgumentException if its party is not a party of this convenant
   */
  public CovenantSignatures with(PartySignature signature) {
    Objects.requireNonNull(signature, "signature");
    if (!covenant.parties().containsKey(signature.party())) {
      throw new IllegalArgumentException(
          Problems.quote(signature.party()) + " is not a party of convenant " + covenant.label());
    }
    Map<String, PartySignature> next = new LinkedHashMap<>(byParty);
    next.put(signature.party(), signature);
    return new CovenantSignatures(covenant, next);
  }

  /** The file text: one LF-terminated line per signature, in the convenant's party order. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (PartySignature s : all()) {
      out.append(s.line()).append('\n');
    }
    return out.toString();
  }

  /**
   * Replaces {@code sigsFile} with {@link #text()} atomically: readers see the old file or the
   * new one, never half of it, and a crash cannot leave a truncated file. The new content is on
   * disk before it takes the old one's place.
   */
  public void writeTo(Path sigsFile) throws IOException {
    Path target = sigsFile.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(text().getBytes(StandardCharsets.US_ASCII));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /** Makes the rename durable where the platform allows opening a directory (Linux does). */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not possible on every platform (Windows); the file itself is already on disk.
    }
  }

  /** The convenant these signatures belong to. */
  Covenant covenant() {
    return covenant;
  }

  @Override
  public String toString() {
    return "CovenantSignatures[" + covenant.label() + ", signed by " + byParty.keySet() + "]";
  }

  /** One line, {@code <party-id> <key-id> <base64 signature>}, checked field by field. */
  private static final class LineReader {
    private static final String FORM = "expected '<party-id> <key-id> <base64 signature>'";

    private final String file;
    private final int lineNo;
    private final String line;
    private final Covenant covenant;
    private final List<ValidationError> errors;

    LineReader(String file, int lineNo, String line, Covenant covenant, List<ValidationError> errors) {
      this.file = file;
      this.lineNo = lineNo;
      this.line = line;
      this.covenant = covenant;
      this.errors = errors;
    }

    Optional<PartySignature> read() {
      if (line.isEmpty()) {
        return fail(1, "empty line; " + FORM);
      }
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          return fail(i + 1, "control character " + String.format("U+%04X", (int) c) + "; " + FORM);
        }
      }
      if (line.startsWith(" ") || line.endsWith(" ") || line.contains("  ")) {
        int at = line.startsWith(" ") ? 0 : line.contains("  ") ? line.indexOf("  ") : line.length() - 1;
        return fail(at + 1, "extra space; fields are separated by exactly one space, " + FORM);
      }
      String[] fields = line.split(" ", -1);
      if (fields.length != 3) {
        return fail(1, "found " + fields.length + (fields.length == 1 ? " field" : " fields") + "; " + FORM);
      }
      int keyColumn = fields[0].length() + 2;
      int sigColumn = keyColumn + fields[1].length() + 1;
      Optional<String> party = party(fields[0]);
      Optional<KeyId> keyId = keyId(fields[1], keyColumn);
      Optional<byte[]> signature = signature(fields[2], sigColumn);
      if (party.isEmpty() || keyId.isEmpty() || signature.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new PartySignature(party.get(), keyId.get(), signature.get()));
    }

    private Optional<String> party(String id) {
      if (!covenant.parties().containsKey(id)) {
        error(1,
            "party " + Problems.quote(id) + " is not a party of convenant " + covenant.label()
                + Suggestions.didYouMean(id, covenant.parties().keySet()));
        return Optional.empty();
      }
      return Optional.of(id);
    }

    private Optional<KeyId> keyId(String text, int column) {
      try {
        return Optional.of(KeyId.parse(text));
      } catch (IllegalArgumentException e) {
        error(column, e.getMessage());
        return Optional.empty();
      }
    }

    private Optional<byte[]> signature(String text, int column) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        error(column, "the signature is not standard base64 (A-Z a-z 0-9 + / and '=' padding)");
        return Optional.empty();
      }
      // One signature, one spelling: no missing padding or stray bits that decode alike.
      if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
        error(column, "the signature is not canonical base64 (with '=' padding, as written by 'schakel covenant sign')");
        return Optional.empty();
      }
      if (bytes.length != PartySignature.SIGNATURE_LEN) {
        error(column,
            "an Ed25519 signature is " + PartySignature.SIGNATURE_LEN + " bytes, found "
                + bytes.length + " bytes");
        return Optional.empty();
      }
      return Optional.of(bytes);
    }

    private Optional<PartySignature> fail(int column, String message) {
      error(column, message);
      return Optional.empty();
    }

    private void error(int column, String message) {
      errors.add(new ValidationError(file, lineNo, column, message));
    }
  }
}
