package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.time.Instant;
import nl.schakel.audit.AppendResult;
import nl.schakel.audit.Checkpoint;
import nl.schakel.audit.CheckpointVerifier;
import nl.schakel.audit.Cosigner;
import nl.schakel.audit.CheckpointSigner;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.audit.Receipt;
import nl.schakel.trust.sign.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code schakel audit verify|verify-receipt} as an auditor uses them. */
class AuditCommandTest {

  private static final String ORIGIN = "schakel/midden/gateway";
  // Each entry is 10 bytes; a frame adds 16, the segment header is 16.
  private static final int ENTRY_BYTES = 10;

  @TempDir Path dir;

  private Path log;
  private CheckpointSigner signer;
  private final List<AppendResult> results = new ArrayList<>();

  record Run(int exit, String out, String err) {}

  static Run schakel(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Schakel.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeEach
  void setUp() {
    log = dir.resolve("log");
    signer = new CheckpointSigner(SigningKey.generate(new SecureRandom()), ORIGIN);
  }

  // Builds a log of `count` entries (tagged `fork`) in `where`, saving each checkpoint as cp-<size>.
  private void build(Path where, int count, byte fork) throws IOException {
    try (FileAuditLog audit =
        FileAuditLog.open(where, FileAuditLog.Options.defaults().withCheckpointSigner(signer))) {
      for (int i = 0; i < count; i++) {
        byte[] entry = new byte[ENTRY_BYTES];
        entry[0] = (byte) i;
        entry[1] = fork;
        AppendResult result = audit.append(entry).join();
        results.add(result);
        Files.writeString(
            where.resolveSibling(where.getFileName() + "-cp-" + result.treeSize()),
            result.checkpoint().orElseThrow());
      }
    }
  }

  private String checkpoint(Path where, int size) {
    return where.resolveSibling(where.getFileName() + "-cp-" + size).toString();
  }

  private static Path segment(Path where) {
    return where.resolve("segment-00000000000000000000.log");
  }

  private static long frameOffset(int index) {
    return 16 + (long) index * (16 + ENTRY_BYTES);
  }

  @Test
  void anUntouchedLogVerifiesAgainstItsSavedCheckpoints() throws IOException {
    build(log, 20, (byte) 0);

    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--checkpoint", checkpoint(log, 5), "--checkpoint", checkpoint(log, 20));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("entries:  20", "OK: 2 of 2 checkpoints");
  }

  @Test
  void verifiesALogThatIsOpenInARunningGateway() throws IOException {
    build(log, 3, (byte) 0);
    try (FileAuditLog live =
        FileAuditLog.open(log, FileAuditLog.Options.defaults().withCheckpointSigner(signer))) {
      Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
          "--checkpoint", checkpoint(log, 3));

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(live.writable()).isTrue();
    }
  }

  @Test
  void namesTheEntryWhoseBytesWereFlipped() throws IOException {
    build(log, 20, (byte) 0);
    try (FileChannel channel = FileChannel.open(segment(log), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      long at = frameOffset(7) + 16 + 2;
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
      channel.write(one, at);
    }

    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--checkpoint", checkpoint(log, 20));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("MISMATCH", "entry 7 ");
  }

  @Test
  void findsEntriesDeletedSinceASavedCheckpoint() throws IOException {
    build(log, 20, (byte) 0);
    try (FileChannel channel = FileChannel.open(segment(log), StandardOpenOption.WRITE)) {
      channel.truncate(frameOffset(12));
    }

    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--checkpoint", checkpoint(log, 10), "--checkpoint", checkpoint(log, 20));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("signs tree size 20", "only 12 entries", "deleted or truncated");
    assertThat(run.out()).contains("tree size 10 is a prefix");
  }

  @Test
  void findsAForkSignedWithTheSameKey() throws IOException {
    build(log, 20, (byte) 0);
    Path fork = dir.resolve("fork");
    build(fork, 8, (byte) 1);

    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--checkpoint", checkpoint(fork, 8));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("tree size 8", "fork");
  }

  @Test
  void refusesAMalformedKey() {
    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", "nonsense");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("--key");
  }

  @Test
  void aReceiptVerifiesOfflineAndAForgedOneDoesNot() throws IOException {
    build(log, 6, (byte) 0);
    Receipt receipt;
    try (FileAuditLog audit = FileAuditLog.open(log)) {
      receipt = Receipt.of(audit, results.get(3));
    }
    Path good = writeReceipt(receipt, receipt.leafHash());
    byte[] otherLeaf = results.get(4).leafHash();
    Path forged = writeReceipt(receipt, otherLeaf);

    Run ok = schakel("audit", "verify-receipt", "--receipt", good.toString(), "--key", signer.verifierKey());
    Run bad = schakel("audit", "verify-receipt", "--receipt", forged.toString(), "--key", signer.verifierKey());
    CheckpointSigner stranger = new CheckpointSigner(SigningKey.generate(new SecureRandom()), ORIGIN);
    Run wrongKey = schakel("audit", "verify-receipt", "--receipt", good.toString(), "--key", stranger.verifierKey());

    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("OK: entry 3 is in " + ORIGIN + " at tree size 4");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("MISMATCH");
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("unknown key");
  }

  // ------------------------------------------------------------------ cosigned checkpoints

  private Path cosignedFile(String note, String... lines) throws IOException {
    StringBuilder text = new StringBuilder(note);
    for (String line : lines) {
      text.append(line).append('\n');
    }
    Path file = Files.createTempFile(dir, "cosigned", ".txt");
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aCosignedCheckpointVerifiesWithEveryListedWitnessAndAgainstTheLog() throws IOException {
    build(log, 7, (byte) 0);
    String note = Files.readString(Path.of(checkpoint(log, 7)));
    Checkpoint cp = CheckpointVerifier.forVerifierKey(signer.verifierKey()).verify(note);
    Cosigner politie = new Cosigner(SigningKey.generate(new SecureRandom()), "schakel/node/politie");
    Cosigner ggz = new Cosigner(SigningKey.generate(new SecureRandom()), "schakel/node/ggz");
    Instant at = Instant.parse("2026-11-29T10:00:00Z");
    Path file = cosignedFile(note, politie.cosign(cp, at), ggz.cosign(cp, at));

    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--cosigned", file.toString(), "--witness", politie.verifierKey(), "--witness", ggz.verifierKey());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("witness   schakel/node/politie cosigned tree size 7 at 2026-11-29T10:00:00Z",
        "witness   schakel/node/ggz cosigned", "cosigned by all 2 witnesses", "tree size 7 is a prefix");
  }

  @Test
  void aWitnessThatDidNotCosignOrWhoseCosignatureIsForgedFails() throws IOException {
    build(log, 7, (byte) 0);
    String note = Files.readString(Path.of(checkpoint(log, 7)));
    Checkpoint cp = CheckpointVerifier.forVerifierKey(signer.verifierKey()).verify(note);
    Checkpoint other = CheckpointVerifier.forVerifierKey(signer.verifierKey()).verify(
        Files.readString(Path.of(checkpoint(log, 6))));
    Cosigner politie = new Cosigner(SigningKey.generate(new SecureRandom()), "schakel/node/politie");
    Cosigner ggz = new Cosigner(SigningKey.generate(new SecureRandom()), "schakel/node/ggz");
    Instant at = Instant.parse("2026-11-29T10:00:00Z");
    // politie cosigned another checkpoint; ggz did not cosign at all.
    Path file = cosignedFile(note, politie.cosign(other, at));

    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--cosigned", file.toString(), "--witness", politie.verifierKey(), "--witness", ggz.verifierKey());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("MISMATCH: witness schakel/node/politie did not cosign tree size 7",
        "MISMATCH: witness schakel/node/ggz did not cosign tree size 7: it carries no signature line");
  }

  @Test
  void aCosignedCheckpointOfAForkFailsAgainstTheLogEvenWhenTheWitnessCosignedIt() throws IOException {
    build(log, 8, (byte) 0);
    Path fork = dir.resolve("fork");
    build(fork, 8, (byte) 1);
    String note = Files.readString(Path.of(checkpoint(fork, 8)));
    Checkpoint cp = CheckpointVerifier.forVerifierKey(signer.verifierKey()).verify(note);
    Cosigner politie = new Cosigner(SigningKey.generate(new SecureRandom()), "schakel/node/politie");
    Path file = cosignedFile(note, politie.cosign(cp, Instant.parse("2026-11-29T10:00:00Z")));

    Run run = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--cosigned", file.toString(), "--witness", politie.verifierKey());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("fork");
  }

  @Test
  void aWitnessWithoutACosignedFileOrAMalformedWitnessKeyIsAnError() throws IOException {
    build(log, 2, (byte) 0);
    Run without = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--witness", "schakel/node/politie+01020304+AAAA");
    Path file = cosignedFile(Files.readString(Path.of(checkpoint(log, 2))));
    Run malformed = schakel("audit", "verify", "--log", log.toString(), "--key", signer.verifierKey(),
        "--cosigned", file.toString(), "--witness", "nonsense");

    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err()).contains("--witness needs --cosigned");
    assertThat(malformed.exit()).isEqualTo(1);
    assertThat(malformed.err()).contains("--witness");
  }

  private Path writeReceipt(Receipt receipt, byte[] leafHash) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = json.createObjectNode();
    node.put("logIndex", receipt.logIndex());
    node.put("treeSize", receipt.treeSize());
    node.put("leafHash", Base64.getEncoder().encodeToString(leafHash));
    ArrayNode proof = node.putArray("inclusionProof");
    receipt.inclusionProof().forEach(h -> proof.add(Base64.getEncoder().encodeToString(h)));
    node.put("checkpoint", receipt.checkpoint());
    Path file = Files.createTempFile(dir, "receipt", ".json");
    Files.writeString(file, json.writeValueAsString(node), StandardCharsets.UTF_8);
    return file;
  }
}
