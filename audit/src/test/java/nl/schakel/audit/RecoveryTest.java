package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A log reopened after its files were cut or damaged, as a crash or a bad disk would leave them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecoveryTest {

  private static final int ENTRIES = 10;

  @TempDir Path dir;

  @Test
  void cutsGarbageAfterTheLastFrame() throws IOException {
    byte[][] roots = writeLog(FileAuditLog.Options.defaults());
    Path segment = newestSegment();
    long cleanLength = Files.size(segment);
    byte[] garbage = new byte[100];
    new Random(1).nextBytes(garbage);
    Files.write(segment, garbage, StandardOpenOption.APPEND);

    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertSurvivors(log, ENTRIES, roots);
      assertThat(log.recovery().bytesDiscarded()).isEqualTo(100);
      assertThat(log.recovery().repairs())
          .singleElement()
          .asString()
          .contains("cut 100 bytes of torn tail at offset " + cleanLength)
          .contains("the log continues at index " + ENTRIES);
      assertThat(Files.size(segment)).as("the tail is gone").isEqualTo(cleanLength);
      assertAppendsContinueAt(log, ENTRIES);
    }
  }

  @Test
  void cutsATruncatedLastFrame() throws IOException {
    byte[][] roots = writeLog(FileAuditLog.Options.defaults());
    Path segment = newestSegment();
    truncate(segment, Files.size(segment) - 5);

    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertSurvivors(log, ENTRIES - 1, roots);
      assertThat(log.recovery().repairs()).singleElement().asString().contains("partial frame");
      assertAppendsContinueAt(log, ENTRIES - 1);
    }
  }

  @Test
  void cutsAPartialFrameHeader() throws IOException {
    byte[][] roots = writeLog(FileAuditLog.Options.defaults());
    Path segment = newestSegment();
    long lastFrame = Files.size(segment) - Frame.size(entry(ENTRIES - 1));
    truncate(segment, lastFrame + 7);

    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertSurvivors(log, ENTRIES - 1, roots);
      assertThat(log.recovery().repairs())
          .singleElement()
          .asString()
          .contains("partial frame header of 7 bytes");
      assertAppendsContinueAt(log, ENTRIES - 1);
    }
  }

  @Test
  void cutsALastFrameWithAFlippedByte() throws IOException {
    byte[][] roots = writeLog(FileAuditLog.Options.defaults());
    Path segment = newestSegment();
    FileAuditLogTest.flipByte(segment, Files.size(segment) - 2);

    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertSurvivors(log, ENTRIES - 1, roots);
      assertThat(log.recovery().repairs()).singleElement().asString().contains("CRC32C is");
      assertAppendsContinueAt(log, ENTRIES - 1);
    }
  }

  @Test
  void cutsALastFrameWhoseLengthWasTorn() throws IOException {
    byte[][] roots = writeLog(FileAuditLog.Options.defaults());
    Path segment = newestSegment();
    long lastFrame = Files.size(segment) - Frame.size(entry(ENTRIES - 1));
    FileAuditLogTest.flipByte(segment, lastFrame); // top byte of the length: 1 GiB and more

    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertSurvivors(log, ENTRIES - 1, roots);
      assertThat(log.recovery().repairs()).singleElement().asString().contains("expected at most 1048576");
    }
  }

  @Test
  void cutsAValidFrameThatIsInTheWrongPlace() throws IOException {
    byte[][] roots = writeLog(FileAuditLog.Options.defaults());
    Path segment = newestSegment();
    byte[] file = Files.readAllBytes(segment);
    int lastFrameLength = Frame.size(entry(ENTRIES - 1));
    byte[] lastFrame = Arrays.copyOfRange(file, file.length - lastFrameLength, file.length);
    Files.write(segment, lastFrame, StandardOpenOption.APPEND); // its checksum is fine, its index is not

    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertSurvivors(log, ENTRIES, roots);
      assertThat(log.recovery().repairs())
          .singleElement()
          .asString()
          .contains("frame holds index " + (ENTRIES - 1) + ", expected " + ENTRIES);
    }
  }

  @Test
  void rewritesTheHeaderOfANewestSegmentTornWhileBeingCreated() throws IOException {
    byte[][] roots = writeLog(FileAuditLog.Options.defaults());
    Path torn = dir.resolve(Segment.fileName(ENTRIES));
    Files.write(torn, new byte[] {'s', 'c', 'h'});

    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertSurvivors(log, ENTRIES, roots);
      assertThat(log.recovery().segments()).isEqualTo(2);
      assertThat(log.recovery().repairs()).singleElement().asString().contains("rewrote a header");
      assertAppendsContinueAt(log, ENTRIES);
    }
    assertThat(Files.size(torn)).isEqualTo(Segment.MAGIC.length + Frame.size(entry(ENTRIES)));
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertThat(log.recovery().clean()).isTrue();
      assertThat(log.size()).isEqualTo(ENTRIES + 1);
    }
  }

  @Test
  void reportsNothingAfterACleanClose() throws IOException {
    writeLog(FileAuditLog.Options.defaults());
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertThat(log.recovery().clean()).isTrue();
      assertThat(log.recovery().bytesDiscarded()).isZero();
    }
  }

  @Test
  void refusesDamageBeforeTheNewestSegment() throws IOException {
    writeLog(FileAuditLog.Options.defaults().withSegmentTargetBytes(100));
    List<Path> segments = segmentFiles();
    assertThat(segments).hasSizeGreaterThan(2);
    FileAuditLogTest.flipByte(segments.get(1), Files.size(segments.get(1)) - 1);

    assertThatThrownBy(() -> FileAuditLog.open(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(segments.get(1).getFileName().toString())
        .hasMessageContaining("CRC32C is")
        .hasMessageContaining("is not the newest segment");
    // Refusing must leave the directory openable once an operator has repaired it.
    FileAuditLogTest.flipByte(segments.get(1), Files.size(segments.get(1)) - 1);
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertThat(log.size()).isEqualTo(ENTRIES);
    }
  }

  @Test
  void refusesAMissingSegment() throws IOException {
    writeLog(FileAuditLog.Options.defaults().withSegmentTargetBytes(100));
    List<Path> segments = segmentFiles();
    Files.delete(segments.get(1));

    assertThatThrownBy(() -> FileAuditLog.open(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(segments.get(2).getFileName().toString())
        .hasMessageContaining("a segment is missing");
  }

  @Test
  void refusesAFileThatIsNotASegment() throws IOException {
    writeLog(FileAuditLog.Options.defaults());
    Files.write(newestSegment(), "some other format".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> FileAuditLog.open(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("does not start with the header \"schakel-audit-v1\"");
  }

  private byte[][] writeLog(FileAuditLog.Options options) throws IOException {
    byte[][] roots = new byte[ENTRIES + 1][];
    try (FileAuditLog log = FileAuditLog.open(dir, options)) {
      for (int i = 0; i < ENTRIES; i++) {
        log.append(entry(i)).join();
      }
      for (int size = 0; size <= ENTRIES; size++) {
        roots[size] = log.root(size);
      }
    }
    return roots;
  }

  private static void assertSurvivors(FileAuditLog log, int survivors, byte[][] roots) {
    assertThat(log.size()).isEqualTo(survivors);
    assertThat(log.root(survivors)).as("root of the surviving entries").isEqualTo(roots[survivors]);
    for (int i = 0; i < survivors; i++) {
      assertThat(log.entry(i)).isEqualTo(entry(i));
    }
  }

  private static void assertAppendsContinueAt(FileAuditLog log, long index) {
    AppendResult next = log.append(entry(index)).join();
    assertThat(next.index()).isEqualTo(index);
    assertThat(log.entry(index)).isEqualTo(entry(index));
  }

  private Path newestSegment() throws IOException {
    List<Path> segments = segmentFiles();
    return segments.get(segments.size() - 1);
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
  }

  private static void truncate(Path file, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
  }

  private static byte[] entry(long i) {
    return ("audit entry " + i).getBytes(StandardCharsets.UTF_8);
  }
}
