package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL in the middle of appending loses no acknowledged entry. */
class CrashTest {

  private static final int ACKNOWLEDGED_BEFORE_KILL = 500;

  @TempDir Path scratch;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyAcknowledgedEntrySurvivesAKill() throws Exception {
    Path dir = scratch.resolve("log");
    Path childErrors = scratch.resolve("child-stderr.txt");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                AppendUntilKilled.class.getName(),
                dir.toString())
            .redirectError(childErrors.toFile())
            .start();
    Map<Long, Long> sequenceByIndex = new HashMap<>();
    try (BufferedReader acks =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      record(acks.readLine(), sequenceByIndex, childErrors);

      // While the child holds the directory nobody else may write to it.
      assertThatThrownBy(() -> FileAuditLog.open(dir))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already open by another process");

      while (sequenceByIndex.size() < ACKNOWLEDGED_BEFORE_KILL) {
        record(acks.readLine(), sequenceByIndex, childErrors);
      }
      // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
      // pipe, and with it the acknowledgements still in flight.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // Whatever it printed before it died was acknowledged too.
      for (String line = acks.readLine(); line != null; line = acks.readLine()) {
        record(line, sequenceByIndex, childErrors);
      }
    } finally {
      child.destroyForcibly();
    }

    long highestAcknowledged = sequenceByIndex.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertThat(log.size()).isGreaterThan(highestAcknowledged);
      for (Map.Entry<Long, Long> ack : sequenceByIndex.entrySet()) {
        assertThat(log.entry(ack.getKey()))
            .as("acknowledged entry %d", ack.getKey())
            .isEqualTo(AppendUntilKilled.entry(ack.getValue()));
      }
      // Entries that were written but never acknowledged may survive too, but only whole ones.
      for (long i = 0; i < log.size(); i++) {
        assertThat(new String(log.entry(i), StandardCharsets.UTF_8)).matches("(entry \\d+;)+");
      }
      byte[] root = log.root(log.size());
      long next = log.size();
      assertThat(log.append(AppendUntilKilled.entry(-1)).join().index()).isEqualTo(next);
      ProofVerifier.verifyConsistency(next, next + 1, root, log.root(next + 1), log.consistencyProof(next, next + 1));
    }
  }

  private static void record(String line, Map<Long, Long> sequenceByIndex, Path childErrors)
      throws IOException {
    if (line == null) {
      fail("the child stopped before acknowledging enough appends; its stderr:%n%s",
          Files.exists(childErrors) ? Files.readString(childErrors) : "(none)");
    }
    List<String> fields = List.of(line.split(" "));
    assertThat(fields).as("ack line %s", line).hasSize(2);
    Long previous = sequenceByIndex.put(Long.parseLong(fields.get(0)), Long.parseLong(fields.get(1)));
    assertThat(previous).as("index %s acknowledged twice", fields.get(0)).isNull();
  }
}
