package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FileAuditLogTest {

  private static final TestVectors VECTORS = TestVectors.load();

  @TempDir Path dir;

  @Test
  void storesTheCtVectorLeavesUnderTheCtRoots() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      for (int i = 0; i < VECTORS.leaves.size(); i++) {
        AppendResult result = log.append(VECTORS.leaves.get(i)).join();
        assertThat(result)
            .isEqualTo(new AppendResult(i, i + 1, VECTORS.leafHash(i), VECTORS.roots.get(i + 1L)));
      }
      for (long size = 0; size <= 8; size++) {
        assertThat(log.root(size)).isEqualTo(VECTORS.roots.get(size));
      }
      for (TestVectors.Inclusion v : VECTORS.inclusions) {
        assertThat(log.inclusionProof(v.index(), v.treeSize())).containsExactlyElementsOf(v.path());
      }
      for (TestVectors.Consistency v : VECTORS.consistencies) {
        assertThat(log.consistencyProof(v.first(), v.second())).containsExactlyElementsOf(v.proof());
      }
    }
  }

  @Test
  void returnsTheExactBytesOfEveryEntryAndProvesThem() throws IOException {
    Random random = new Random(17);
    List<byte[]> entries = new ArrayList<>();
    entries.add(new byte[0]);
    entries.add(new byte[AuditLog.MAX_ENTRY_BYTES]);
    for (int i = 0; i < 40; i++) {
      byte[] entry = new byte[random.nextInt(3000)];
      random.nextBytes(entry);
      entries.add(entry);
    }
    random.nextBytes(entries.get(1));

    List<AppendResult> results = new ArrayList<>();
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      for (byte[] entry : entries) {
        results.add(log.append(entry).join());
      }
      for (int i = 0; i < entries.size(); i++) {
        AppendResult result = results.get(i);
        assertThat(result.index()).isEqualTo(i);
        assertThat(log.entry(i)).isEqualTo(entries.get(i));
        ProofVerifier.verifyInclusion(
            MerkleHash.leafHash(log.entry(i)),
            i,
            log.size(),
            log.inclusionProof(i, log.size()),
            log.root(log.size()));
        // Every acknowledged root is consistent with every later one.
        ProofVerifier.verifyConsistency(
            result.treeSize(),
            log.size(),
            result.rootHash(),
            log.root(log.size()),
            log.consistencyProof(result.treeSize(), log.size()));
      }
    }
  }

  @Test
  void reopeningGivesTheSameEntriesAndRoot() throws IOException {
    byte[] root;
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      for (int i = 0; i < 25; i++) {
        log.append(bytes("entry " + i)).join();
      }
      root = log.root(25);
    }
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertThat(log.recovery()).isEqualTo(new RecoveryReport(25, 1, 0, List.of()));
      assertThat(log.size()).isEqualTo(25);
      assertThat(log.root(25)).isEqualTo(root);
      assertThat(log.entry(24)).isEqualTo(bytes("entry 24"));
      assertThat(log.append(bytes("entry 25")).join().index()).isEqualTo(25);
    }
  }

  @Test
  void rejectsAnEntryOverOneMebibyteAndWritesNothing() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      log.append(bytes("before")).join();
      long bytesOnDisk = segmentBytes();

      assertThatThrownBy(() -> log.append(new byte[AuditLog.MAX_ENTRY_BYTES + 1]).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("audit entry has 1048577 bytes, expected at most 1048576");

      assertThat(log.size()).isEqualTo(1);
      assertThat(log.writable()).isTrue();
      assertThat(segmentBytes()).isEqualTo(bytesOnDisk);
      assertThat(log.append(bytes("after")).join().index()).isEqualTo(1);
    }
  }

  @Test
  void keepsItsOwnCopyOfEachEntry() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      byte[] entry = bytes("original");
      var pending = log.append(entry);
      entry[0] = 'X'; // the caller reuses its buffer straight away
      AppendResult result = pending.join();

      assertThat(log.entry(0)).isEqualTo(bytes("original"));
      log.entry(0)[0] = 'Y';
      result.leafHash()[0] ^= 1;
      assertThat(log.entry(0)).isEqualTo(bytes("original"));
      assertThat(result.leafHash()).isEqualTo(MerkleHash.leafHash(bytes("original")));
    }
  }

  @Test
  void allowsOneWriterPerDirectory() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertThatThrownBy(() -> FileAuditLog.open(dir))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is already open by another FileAuditLog in this process")
          .hasMessageContaining("expected exactly one writer per directory");
      // The refused attempt must not have released the first one's lock.
      assertThat(log.append(bytes("still mine")).join().index()).isZero();
    }
    try (FileAuditLog again = FileAuditLog.open(dir)) {
      assertThat(again.size()).isEqualTo(1);
    }
  }

  @Test
  void aClosedLogRefusesAppendsAndReads() throws IOException {
    FileAuditLog log = FileAuditLog.open(dir);
    log.append(bytes("entry")).join();
    assertThat(log.writable()).isTrue();
    log.close();
    log.close(); // idempotent

    assertThat(log.writable()).isFalse();
    assertThatThrownBy(() -> log.append(bytes("late")).join())
        .cause()
        .isInstanceOf(AuditLogException.class)
        .hasMessage("audit log is closed");
    assertThatThrownBy(log::size).isInstanceOf(IllegalStateException.class).hasMessage("audit log is closed");
    assertThatThrownBy(() -> log.entry(0)).hasMessage("audit log is closed");
  }

  @Test
  void rejectsReadsOutsideTheLogSayingWhatWasExpected() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      log.append(bytes("only")).join();
      assertThatThrownBy(() -> log.entry(1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected 0 <= index < size (1), found index 1");
      assertThatThrownBy(() -> log.inclusionProof(0, 2))
          .hasMessage("expected 0 <= treeSize <= size (1), found treeSize 2");
      assertThatThrownBy(() -> log.root(-1))
          .hasMessage("expected 0 <= treeSize <= size (1), found treeSize -1");
    }
  }

  @Test
  void startsNewSegmentsAndReadsAcrossThem() throws IOException {
    FileAuditLog.Options small = FileAuditLog.Options.defaults().withSegmentTargetBytes(300);
    byte[] root;
    try (FileAuditLog log = FileAuditLog.open(dir, small)) {
      for (int i = 0; i < 60; i++) {
        log.append(bytes("entry number " + i)).join();
      }
      root = log.root(60);
      for (int i = 0; i < 60; i++) {
        assertThat(log.entry(i)).isEqualTo(bytes("entry number " + i));
      }
    }
    assertThat(segmentFiles()).hasSizeGreaterThan(5);
    assertThat(segmentFiles().get(0).getFileName()).hasToString("segment-00000000000000000000.log");

    try (FileAuditLog log = FileAuditLog.open(dir, small)) {
      assertThat(log.recovery().segments()).isEqualTo(segmentFiles().size());
      assertThat(log.root(60)).isEqualTo(root);
      for (int i = 0; i < 60; i++) {
        assertThat(log.entry(i)).isEqualTo(bytes("entry number " + i));
      }
    }
  }

  @Test
  void reportsAnEntryChangedOnDiskInsteadOfServingIt() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      log.append(bytes("first entry")).join();
      log.append(bytes("second entry")).join();
      flipByte(segmentFiles().get(0), Segment.MAGIC.length + Frame.HEADER_BYTES + 3);

      assertThatThrownBy(() -> log.entry(0))
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("entry 0 in ")
          .hasMessageContaining("at offset 16 changed on disk after it was written: CRC32C is");
      assertThat(log.entry(1)).isEqualTo(bytes("second entry"));
    }
  }

  @Test
  void appendResultsCompareByContent() {
    AppendResult a = new AppendResult(0, 1, VECTORS.leafHash(0), VECTORS.roots.get(1L));
    AppendResult b = new AppendResult(0, 1, VECTORS.leafHash(0), VECTORS.roots.get(1L));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).contains("leafHash=6e340b9c");
    assertThat(a).isNotEqualTo(new AppendResult(0, 2, VECTORS.leafHash(0), VECTORS.roots.get(1L)));
    assertThatThrownBy(() -> new AppendResult(1, 1, VECTORS.leafHash(0), VECTORS.roots.get(1L)))
        .hasMessage("expected 0 <= index < treeSize (1), found index 1");
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
  }

  private long segmentBytes() throws IOException {
    long total = 0;
    for (Path p : segmentFiles()) {
      total += Files.size(p);
    }
    return total;
  }

  static void flipByte(Path file, long position) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x40));
      one.rewind();
      channel.write(one, position);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
