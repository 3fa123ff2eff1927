package nl.schakel.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The operator's local switch (ARCHITECTURE.md: a partner can stop answering at once, without a
 * new convenant): {@code <state-dir>/suspend.yaml} suspends answering for all questions, for some
 * purposes, or for some asking parties.
 *
 * <pre>
 * all: false
 * purposes: [huisverbod]
 * asking-parties: [riec]
 * reason: "Tijdelijk gestopt na een datalek-melding; bel 030-1234567"
 * </pre>
 *
 * <p>A suspended question gets a signed REFUSED answer, {@value #REFUSED}, with the reason text,
 * and is logged like any refusal. The file (at most {@value #MAX_FILE_BYTES} bytes) is read at most
 * once per second and applied when its content (SHA-256) differs from what was last applied, so an
 * edit is never missed for keeping the same size and modification time; {@link #reload()} reads it
 * now. No file: nothing is suspended.
 *
 * <p><b>Fail closed.</b> A file that cannot be read or is malformed (not a mapping, an unknown
 * key, a wrong type, an empty file, which is what a half-written one looks like) suspends
 * everything, with a WARN naming the problem (so does a file larger than {@value #MAX_FILE_BYTES}
 * bytes): an operator who meant to stop answering must not be
 * overruled by a typo. Write the file whole (temp file + rename), as {@link #write} does.
 */
final class SuspendSwitch {
  private static final Logger log = LoggerFactory.getLogger(SuspendSwitch.class);
  static final String FILE = "suspend.yaml";
  static final String REFUSED = "suspended-by-operator";
  /** The reason text is shown to the asker: a sentence or two, not a document. */
  static final int MAX_REASON_CHARS = 500;
  /** Far more than any list of purposes and parties needs; a bigger file is a mistake, read fail closed. */
  static final int MAX_FILE_BYTES = 64 * 1024;
  static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Set<String> KEYS = Set.of("all", "purposes", "asking-parties", "reason");

  /**
   * What is suspended now. {@code reason} is the operator's text for the asker; empty for the
   * default text.
   */
  record Suspension(boolean all, Set<String> purposes, Set<String> askingParties, Optional<String> reason) {
    static final Suspension NONE = new Suspension(false, Set.of(), Set.of(), Optional.empty());

    Suspension {
      purposes = Set.copyOf(purposes);
      askingParties = Set.copyOf(askingParties);
      Objects.requireNonNull(reason, "reason");
    }

    boolean any() {
      return all || !purposes.isEmpty() || !askingParties.isEmpty();
    }

    /** The file's text for this suspension. */
    String yaml() {
      StringBuilder b = new StringBuilder("all: ").append(all).append('\n');
      b.append("purposes: [").append(String.join(", ", purposes.stream().sorted().toList())).append("]\n");
      b.append("asking-parties: [").append(String.join(", ", askingParties.stream().sorted().toList())).append("]\n");
      reason.ifPresent(r -> b.append("reason: \"").append(r.replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"\n"));
      return b.toString();
    }
  }

  /** What the file held when last applied: its content's SHA-256, or that it was absent or unreadable. */
  private record Seen(String what) {
    static final Seen ABSENT = new Seen("absent");
  }

  private final String party;
  private final Path file;
  private final LongSupplier nanoTime;
  private final Object reloading = new Object();
  private volatile Suspension current = Suspension.NONE;
  private volatile Seen seen = Seen.ABSENT;
  private volatile long nextCheck;

  /**
   * @param nanoTime a monotonic ticker ({@code System::nanoTime}): only paces the reads,
   *     decides nothing about a question
   */
  SuspendSwitch(String party, Path stateDir, LongSupplier nanoTime) {
    this.party = party;
    this.file = stateDir.resolve(FILE);
    this.nanoTime = nanoTime;
    reload();
    this.nextCheck = nanoTime.getAsLong() + CHECK_INTERVAL_NANOS;
  }

  Path file() {
    return file;
  }

  /** What is suspended now, after looking at the file if it is due. */
  Suspension current() {
    long now = nanoTime.getAsLong();
    if (now - nextCheck >= 0) {
      synchronized (reloading) {
        if (now - nextCheck >= 0) {
          nextCheck = now + CHECK_INTERVAL_NANOS;
          load(true);
        }
      }
    }
    return current;
  }

  /** Refuses {@code purpose} asked by {@code askingParty} when the operator suspended it. */
  void check(String purpose, String askingParty) throws Refused {
    Suspension s = current();
    if (!s.any()) {
      return;
    }
    String what;
    if (s.all()) {
      what = "all answering";
    } else if (s.purposes().contains(purpose)) {
      what = "answering for purpose " + purpose;
    } else if (s.askingParties().contains(askingParty)) {
      what = "answering questions of asking party " + askingParty;
    } else {
      return;
    }
    throw new Refused(REFUSED, "The operator of " + party + " has suspended " + what + ": "
        + s.reason().orElse("no reason given; ask " + party + "'s operator"));
  }

  /** Reads the file now. Fail closed: an unreadable or malformed file suspends everything. */
  void reload() {
    load(false);
  }

  // The bytes read are the bytes hashed and parsed: no window between looking and reading in
  // which an edit could slip by.
  private void load(boolean onlyWhenChanged) {
    synchronized (reloading) {
      Seen now;
      byte[] bytes = null;
      String unreadable = "";
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        now = new Seen(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      } catch (NoSuchFileException e) {
        now = Seen.ABSENT;
      } catch (IOException e) {
        bytes = null;
        unreadable = e.getClass().getSimpleName();
        now = new Seen("unreadable: " + unreadable);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
      if (onlyWhenChanged && now.equals(seen)) {
        return;
      }
      Suspension previous = current;
      Suspension next;
      try {
        if (now.equals(Seen.ABSENT)) {
          next = Suspension.NONE;
        } else if (bytes == null) {
          throw new Malformed("cannot be read (" + unreadable + ")");
        } else if (bytes.length > MAX_FILE_BYTES) {
          throw new Malformed("is larger than " + MAX_FILE_BYTES + " bytes");
        } else {
          next = parse(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        }
      } catch (IOException | RuntimeException e) {
        String problem = e instanceof Malformed ? e.getMessage() : "cannot be read (" + e.getClass().getSimpleName() + ")";
        log.warn("party={} {} {}: suspending ALL answering until it is fixed (fail closed)", party, file, problem);
        next = new Suspension(true, Set.of(), Set.of(), Optional.of(party
            + "'s operator switch (" + FILE + ") is unreadable, so " + party + " answers nothing until it is fixed"));
      }
      current = next;
      seen = now;
      if (!next.equals(previous)) {
        if (next.any()) {
          log.warn("party={} answering suspended by the operator: all={} purposes={} asking-parties={}", party,
              next.all(), next.purposes(), next.askingParties());
        } else {
          log.info("party={} answering resumed: nothing is suspended", party);
        }
      }
    }
  }

  /** Writes {@code s} to the file whole (temp file, rename) and reads it back. */
  void write(Suspension s) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.writeString(tmp, s.yaml(), StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    reload();
  }

  /** Removes the file: nothing is suspended. */
  void clear() throws IOException {
    Files.deleteIfExists(file);
    reload();
  }

  /** The file's problem in the operator's terms; never echoes more than a key name. */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  static Suspension parse(String text) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new Malformed("is not valid YAML");
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new Malformed("must be a mapping of all, purposes, asking-parties and reason, found "
          + (doc == null ? "an empty file" : "a " + doc.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)));
    }
    List<String> unknown = new ArrayList<>();
    for (Object k : map.keySet()) {
      if (!(k instanceof String key) || !KEYS.contains(key)) {
        unknown.add(k instanceof String key && NAME.matcher(key).matches() ? key : "(a key)");
      }
    }
    if (!unknown.isEmpty()) {
      throw new Malformed("has unknown key(s) " + unknown + "; expected all, purposes, asking-parties, reason");
    }
    Object all = map.containsKey("all") ? map.get("all") : Boolean.FALSE;
    if (!(all instanceof Boolean)) {
      throw new Malformed("all must be true or false");
    }
    Object reason = map.get("reason");
    if (reason != null && !(reason instanceof String)) {
      throw new Malformed("reason must be text");
    }
    Optional<String> said = Optional.ofNullable((String) reason).map(String::strip).filter(r -> !r.isEmpty());
    if (said.isPresent() && (said.get().length() > MAX_REASON_CHARS || said.get().chars().anyMatch(Character::isISOControl))) {
      throw new Malformed("reason must be one line of at most " + MAX_REASON_CHARS + " characters");
    }
    return new Suspension((Boolean) all, names(map, "purposes"), names(map, "asking-parties"), said);
  }

  private static Set<String> names(Map<?, ?> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return Set.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new Malformed(key + " must be a list of ids, e.g. [huisverbod]");
    }
    Set<String> names = new LinkedHashSet<>();
    for (Object o : list) {
      if (!(o instanceof String s) || !NAME.matcher(s).matches()) {
        throw new Malformed(key + " must hold ids (lower case letters, digits, '.', '_', '-')");
      }
      names.add(s);
    }
    return names;
  }
}
