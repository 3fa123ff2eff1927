package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogAuditTest {

  private static final String ORIGIN = "schakel/demo/gateway";
  private static final int ENTRY_BYTES = 10;

  @TempDir Path dir;
  @TempDir Path forkDir;
  @TempDir Path keys;

  private CheckpointSigner signer;
  private CheckpointVerifier verifier;

  @BeforeEach
  void keys() {
    signer = new CheckpointSigner(TestKeys.seeded(5, keys), ORIGIN);
    verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
  }

  // Appends entries 0..count-1 (tagged with `fork`) one by one; returns the checkpoint after each.
  private List<String> build(Path where, int count, byte fork) throws IOException {
    List<String> checkpoints = new ArrayList<>();
    try (FileAuditLog log =
        FileAuditLog.open(where, FileAuditLog.Options.defaults().withCheckpointSigner(signer))) {
      for (int i = 0; i < count; i++) {
        byte[] entry = new byte[ENTRY_BYTES];
        entry[0] = (byte) i;
        entry[1] = fork;
        checkpoints.add(log.append(entry).join().checkpoint().orElseThrow());
      }
    }
    return checkpoints;
  }

  private static Path segment(Path where) {
    return where.resolve(Segment.fileName(0));
  }

  private static long frameOffset(int index) {
    return Segment.MAGIC.length + (long) index * (Frame.HEADER_BYTES + ENTRY_BYTES);
  }

  @Test
  void anUntouchedLogMatchesEveryCheckpointSavedAlongTheWay() throws IOException {
    List<String> saved = build(dir, 50, (byte) 0);

    LogAudit.Report report =
        LogAudit.audit(
            dir,
            verifier,
            List.of(
                new LogAudit.Source("cp10", saved.get(9)),
                new LogAudit.Source("cp50", saved.get(49)),
                new LogAudit.Source("cp1", saved.get(0))));

    assertThat(report.ok()).isTrue();
    assertThat(report.entries()).isEqualTo(50);
    assertThat(report.matched()).extracting(LogAudit.Matched::source).containsExactly("cp1", "cp10", "cp50");
    assertThat(report.warnings()).isEmpty();
  }

  @Test
  void readsALogThatAGatewayHasOpenWithoutDisturbingIt() throws IOException {
    build(dir, 5, (byte) 0);
    try (FileAuditLog live =
        FileAuditLog.open(dir, FileAuditLog.Options.defaults().withCheckpointSigner(signer))) {
      LogAudit.Report report =
          LogAudit.audit(dir, verifier, List.of(new LogAudit.Source("live", live.checkpoint().orElseThrow())));
      assertThat(report.ok()).isTrue();
      assertThat(report.entries()).isEqualTo(5);
      assertThat(live.append(new byte[] {9}).join().index()).isEqualTo(5);
    }
  }

  @Test
  void namesTheEntryWhoseBytesWereChanged() throws IOException {
    build(dir, 20, (byte) 0);
    flipByte(segment(dir), frameOffset(7) + Frame.HEADER_BYTES + 3);

    assertThatThrownBy(() -> LogAudit.audit(dir, verifier, List.of()))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("entry 7 ");
  }

  @Test
  void findsEntriesDeletedFromTheEndAgainstASavedCheckpoint() throws IOException {
    List<String> saved = build(dir, 20, (byte) 0);
    try (FileChannel channel = FileChannel.open(segment(dir), StandardOpenOption.WRITE)) {
      channel.truncate(frameOffset(15));
    }

    LogAudit.Report report =
        LogAudit.audit(dir, verifier, List.of(new LogAudit.Source("saved", saved.get(19))));

    assertThat(report.ok()).isFalse();
    assertThat(report.entries()).isEqualTo(15);
    assertThat(report.problems())
        .singleElement()
        .asString()
        .contains("saved signs tree size 20", "only 15 entries", "deleted or truncated");
  }

  @Test
  void findsAForkSignedWithTheSameKey() throws IOException {
    build(dir, 20, (byte) 0);
    List<String> fork = build(forkDir, 10, (byte) 1);

    LogAudit.Report report =
        LogAudit.audit(dir, verifier, List.of(new LogAudit.Source("fork", fork.get(9))));

    assertThat(report.ok()).isFalse();
    assertThat(report.problems()).singleElement().asString().contains("fork", "tree size 10");
  }

  @Test
  void findsEquivocationBetweenCheckpointsOfTheSameSize() throws IOException {
    List<String> main = build(dir, 10, (byte) 0);
    List<String> fork = build(forkDir, 10, (byte) 1);

    LogAudit.Report report =
        LogAudit.audit(
            dir,
            verifier,
            List.of(new LogAudit.Source("a", main.get(9)), new LogAudit.Source("b", fork.get(9))));

    assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("equivocation"));
  }

  @Test
  void rejectsACheckpointOfAnotherKey() throws IOException {
    build(dir, 3, (byte) 0);
    CheckpointSigner other = new CheckpointSigner(TestKeys.seeded(6, keys), ORIGIN);

    LogAudit.Report report =
        LogAudit.audit(
            dir, verifier, List.of(new LogAudit.Source("other", other.sign(3, MerkleHash.emptyRoot()))));

    assertThat(report.problems()).singleElement().asString().contains("other", "unknown key");
  }

  @Test
  void ignoresAnIncompleteTailButSaysSo() throws IOException {
    build(dir, 5, (byte) 0);
    try (FileChannel channel = FileChannel.open(segment(dir), StandardOpenOption.WRITE)) {
      channel.truncate(frameOffset(4) + 5);
    }

    LogAudit.Report report = LogAudit.audit(dir, verifier, List.of());

    assertThat(report.entries()).isEqualTo(4);
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("incomplete tail"));
  }

  @Test
  void aReceiptProvesItsEntryOffline() throws IOException {
    try (FileAuditLog log =
        FileAuditLog.open(dir, FileAuditLog.Options.defaults().withCheckpointSigner(signer))) {
      for (int i = 0; i < 6; i++) {
        log.append(new byte[] {(byte) i}).join();
      }
      Receipt receipt = Receipt.of(log, log.append(new byte[] {42}).join());

      assertThat(receipt.verify(verifier).size()).isEqualTo(7);
      Receipt forged =
          new Receipt(
              receipt.logIndex(),
              receipt.treeSize(),
              MerkleHash.leafHash(new byte[] {43}),
              receipt.inclusionProof(),
              receipt.checkpoint());
      assertThatThrownBy(() -> forged.verify(verifier)).isInstanceOf(ProofException.class);
    }
  }

  @Test
  void servesTilesOfTheLiveTree() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      for (int i = 0; i < 3; i++) {
        log.append(new byte[] {(byte) i}).join();
      }
      byte[] tile = log.tile(0, 0, 3);
      assertThat(ByteBuffer.wrap(tile, 64, 32)).isEqualTo(ByteBuffer.wrap(MerkleHash.leafHash(new byte[] {2})));
    }
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0x01));
      one.rewind();
      channel.write(one, offset);
    }
  }
}
