package nl.schakel.node;

import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointException;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.Cosigner;
import nl.schakel.audit.NoteKey;
import nl.schakel.audit.ProofException;
import nl.schakel.audit.ProofVerifier;
import nl.schakel.proto.v1.CosignResponse;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.VerifyingKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node as a witness of the gateway's log (c2sp.org/tlog-witness over gRPC). It cosigns a
 * checkpoint only when the gateway's certified key signed it and it extends, by a verified RFC 9162
 * consistency proof, the last checkpoint this node cosigned, which it keeps durably in {@code
 * <state-dir>/witness/}. So a gateway that shows one history to one party and another to a second
 * (a split view), rewrites or rolls back its log, cannot collect cosignatures for both: the
 * nodes' records disagree, and each refuses the history that does not extend its own.
 *
 * <p>Calls are serialized: two checks against the same "last cosigned" must never both pass.
 */
final class Witness {
  private static final Logger log = LoggerFactory.getLogger(Witness.class);
  /** The witness state's directory inside the state directory. */
  static final String DIR = "witness";
  /** The last cosigned checkpoint, exactly as the gateway signed it: the evidence it was shown. */
  static final String STATE_FILE = "last-cosigned.note";
  /** A federation's name as it appears in the gateway's log origin. */
  static final Pattern FEDERATION_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** The gateway's log: {@code schakel/<federation>/gateway} (GatewayConfig's origin). */
  private static final Pattern GATEWAY_ORIGIN = Pattern.compile("schakel/" + FEDERATION_NAME.pattern() + "/gateway");
  /** Untrusted text in a log line or message is cut to this many characters. */
  static final int MAX_ECHO_CHARS = 100;
  /** A consistency proof is at most 2 log2(size) hashes: 128 covers any tree a long counts. */
  static final int MAX_PROOF_HASHES = 128;

  private final String party;
  private final VerifyingKey gatewayKey;
  /** The only origin this node witnesses, when the config names its federation. */
  private final Optional<String> expectedOrigin;
  private final Cosigner cosigner;
  private final Clock clock;
  private final Path dir;
  private final ReentrantLock lock = new ReentrantLock();
  private Optional<Checkpoint> last; // guarded by lock

  private Witness(String party, VerifyingKey gatewayKey, Optional<String> expectedOrigin, Cosigner cosigner,
      Clock clock, Path dir, Optional<Checkpoint> last) {
    this.party = party;
    this.gatewayKey = gatewayKey;
    this.expectedOrigin = expectedOrigin;
    this.cosigner = cosigner;
    this.clock = clock;
    this.dir = dir;
    this.last = last;
  }

  /** A refused cosign request: the gRPC status to answer with, its description naming why. */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final Status status;

    Refusal(Status.Code code, String message) {
      super(message);
      this.status = Status.fromCode(code).withDescription(message);
    }

    Status status() {
      return status;
    }
  }

  /**
   * The witness of {@code party}, its state read from {@code stateDir/witness} (created when
   * absent). A state file that cannot be read fails the start: forgetting what was cosigned would
   * let the gateway roll back unnoticed.
   *
   * <p>{@code federation} fixes the one log witnessed, {@code schakel/<federation>/gateway}; empty
   * pins whichever gateway log is cosigned first (logged as a WARN).
   */
  static Witness load(Path stateDir, String party, Optional<String> federation, VerifyingKey gatewayKey,
      SigningKey signingKey, Clock clock) throws IOException {
    Optional<String> expectedOrigin = federation.map(f -> "schakel/" + f + "/gateway");
    if (expectedOrigin.isPresent() && !GATEWAY_ORIGIN.matcher(expectedOrigin.get()).matches()) {
      throw new IllegalArgumentException("federation must match " + FEDERATION_NAME.pattern() + ", found '"
          + printable(federation.get()) + "'");
    }
    Path dir = Files.createDirectories(stateDir.resolve(DIR));
    Optional<Checkpoint> last;
    try {
      last = Optional.of(parseState(Files.readString(dir.resolve(STATE_FILE), StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      last = Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new IOException("witness state " + dir.resolve(STATE_FILE) + " is damaged: " + e.getMessage()
          + "; restore it from a backup (deleting it lets the gateway's log restart unchecked)", e);
    }
    last.ifPresent(c -> log.info("party={} witnesses {} from tree size {}", party, c.origin(), c.size()));
    if (expectedOrigin.isEmpty()) {
      // Without it, a gateway with one key could show schakel/a/gateway to some nodes and
      // schakel/b/gateway to others, each group cosigning its own history.
      log.warn("party={} witnessing of the gateway's log is pinned on first contact ({}): set federation: <name>"
          + " in node.yaml (the gateway's federation) so only schakel/<name>/gateway is witnessed", party,
          last.map(c -> "now " + c.origin()).orElse("nothing cosigned yet"));
    } else if (last.isPresent() && !last.get().origin().equals(expectedOrigin.get())) {
      log.warn("party={} SECURITY the witness state holds log {} but federation says {}: every cosign is refused"
          + " until the config or the state is corrected", party, printable(last.get().origin()), expectedOrigin.get());
    }
    return new Witness(party, gatewayKey, expectedOrigin, new Cosigner(signingKey, NodeLog.origin(party)), clock, dir, last);
  }

  /** The witness key's verifier key, for whoever checks this node's cosignatures. */
  String verifierKey() {
    return cosigner.verifierKey();
  }

  /**
   * Checks {@code note} against the last cosigned checkpoint and cosigns it, or answers {@code
   * known_size} when {@code oldSize} is not that checkpoint's size. Throws {@link Refusal} when
   * the note is not the gateway's, rolls back, forks or comes with a bad proof, and when the new
   * state cannot be stored (then nothing is cosigned).
   */
  CosignResponse cosign(long oldSize, List<byte[]> proof, String note) throws Refusal {
    Checkpoint checkpoint = verifiedGatewayCheckpoint(oldSize, proof, note);
    lock.lock();
    try {
      if (last.isPresent() && !last.get().origin().equals(checkpoint.origin())) {
        throw refuse(Status.Code.FAILED_PRECONDITION, "this node witnesses log " + last.get().origin()
            + "; the checkpoint is of log " + checkpoint.origin(), true);
      }
      long lastSize = last.map(Checkpoint::size).orElse(0L);
      if (oldSize != lastSize) {
        log.info("party={} cosign: the gateway believes this node cosigned size {}, it cosigned {}: answered"
            + " known_size", party, oldSize, lastSize);
        return CosignResponse.newBuilder().setKnownSize(lastSize).build();
      }
      if (checkpoint.size() < lastSize) {
        throw refuse(Status.Code.FAILED_PRECONDITION, "rollback: the checkpoint has tree size " + checkpoint.size()
            + ", smaller than size " + lastSize + " this node cosigned before", true);
      }
      if (checkpoint.size() == lastSize && last.isPresent()) {
        if (!Arrays.equals(checkpoint.rootHash(), last.get().rootHash())) {
          throw refuse(Status.Code.FAILED_PRECONDITION, "fork: the checkpoint has tree size " + lastSize
              + " with root " + b64(checkpoint.rootHash()) + ", but this node cosigned size " + lastSize
              + " with root " + b64(last.get().rootHash()), true);
        }
        if (!proof.isEmpty()) {
          throw refuse(Status.Code.INVALID_ARGUMENT, "expected an empty consistency proof for an unchanged tree,"
              + " found " + proof.size() + " hashes", false);
        }
        return cosignature(checkpoint);
      }
      if (lastSize == 0) {
        if (!proof.isEmpty()) {
          throw refuse(Status.Code.INVALID_ARGUMENT, "expected an empty consistency proof from size 0, found "
              + proof.size() + " hashes", false);
        }
      } else {
        try {
          ProofVerifier.verifyConsistency(lastSize, checkpoint.size(), last.get().rootHash(), checkpoint.rootHash(),
              proof);
        } catch (ProofException e) {
          throw refuse(Status.Code.FAILED_PRECONDITION, "consistency proof from tree size " + lastSize + " to "
              + checkpoint.size() + " does not verify: " + e.getMessage(), true);
        }
      }
      try {
        store(note);
      } catch (IOException e) {
        log.error("party={} cosign: cannot store the witness state in {}: {}", party, dir, e.toString());
        throw new Refusal(Status.Code.UNAVAILABLE, "the node's witness state cannot be written");
      }
      last = Optional.of(checkpoint);
      return cosignature(checkpoint);
    } finally {
      lock.unlock();
    }
  }

  private Checkpoint verifiedGatewayCheckpoint(long oldSize, List<byte[]> proof, String note) throws Refusal {
    if (oldSize < 0) {
      throw refuse(Status.Code.INVALID_ARGUMENT, "old_size must be >= 0, found " + oldSize, false);
    }
    if (proof.size() > MAX_PROOF_HASHES) {
      throw refuse(Status.Code.INVALID_ARGUMENT, "consistency proof has " + proof.size() + " hashes, at most "
          + MAX_PROOF_HASHES, false);
    }
    // The note's origin picks the key name; the signature check below is what trusts it.
    int newline = note.indexOf('\n');
    String origin = newline < 0 ? note : note.substring(0, newline);
    if (expectedOrigin.isPresent() && !expectedOrigin.get().equals(origin)) {
      throw refuse(Status.Code.INVALID_ARGUMENT, "checkpoint origin must be " + expectedOrigin.get()
          + " (this node's federation), found '" + printable(origin) + "'", true);
    }
    if (!GATEWAY_ORIGIN.matcher(origin).matches()) {
      throw refuse(Status.Code.INVALID_ARGUMENT, "checkpoint origin must be schakel/<federation>/gateway, found '"
          + printable(origin) + "'", false);
    }
    try {
      return new CheckpointVerifier(NoteKey.of(origin, gatewayKey)).verify(note);
    } catch (CheckpointException e) {
      throw refuse(Status.Code.UNAUTHENTICATED, "checkpoint is not signed by the gateway's certified key: "
          + e.getMessage(), true);
    }
  }

  private CosignResponse cosignature(Checkpoint checkpoint) {
    log.info("party={} cosigned {} at tree size {}", party, checkpoint.origin(), checkpoint.size());
    return CosignResponse.newBuilder().setCosignature(cosigner.cosign(checkpoint, clock.instant())).build();
  }

  /** Logs the refusal (a security event at WARN: the gateway misbehaved, or someone in between). */
  private Refusal refuse(Status.Code code, String message, boolean securityEvent) {
    if (securityEvent) {
      log.warn("party={} SECURITY refused to cosign the gateway's checkpoint: {}", party, message);
    } else {
      log.info("party={} refused to cosign the gateway's checkpoint: {}", party, message);
    }
    return new Refusal(code, message);
  }

  // Write a temporary file, fsync it, rename it over the state and fsync the directory: after a
  // crash the state is the old checkpoint or the new one, whole, never a mix or nothing.
  private void store(String note) throws IOException {
    Path tmp = dir.resolve(STATE_FILE + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  /**
   * The checkpoint in a stored note: its text before the signatures, {@code origin, size, base64
   * root}. Not verified again: the node wrote it after verifying, and the gateway's key may have
   * been renewed since.
   */
  static Checkpoint parseState(String note) {
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new IllegalArgumentException("no empty line between checkpoint and signatures");
    }
    String[] lines = note.substring(0, split).split("\n", -1);
    if (lines.length != 3 || !lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new IllegalArgumentException("expected a checkpoint of origin, size and root");
    }
    return new Checkpoint(lines[0], Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2]));
  }

  /**
   * {@code text} safe to put in a log line or message: characters below 0x20 and DEL become
   * {@code '?'} (no forged log lines), and it is cut at {@value #MAX_ECHO_CHARS} characters.
   */
  static String printable(String text) {
    boolean cut = text.length() > MAX_ECHO_CHARS;
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_ECHO_CHARS) + 3);
    for (int i = 0; i < Math.min(text.length(), MAX_ECHO_CHARS); i++) {
      char c = text.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return cut ? b.append("...").toString() : b.toString();
  }

  private static String b64(byte[] hash) {
    return Base64.getEncoder().encodeToString(hash);
  }
}
