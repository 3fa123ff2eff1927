package nl.schakel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckpointedLogTest {

  private static final String ORIGIN = "schakel/demo/gateway";

  @TempDir Path dir;
  @TempDir Path keys;

  private CheckpointSigner signer() {
    return new CheckpointSigner(TestKeys.seeded(3, keys), ORIGIN);
  }

  private FileAuditLog open(CheckpointSigner signer) throws IOException {
    return FileAuditLog.open(dir, FileAuditLog.Options.defaults().withCheckpointSigner(signer));
  }

  @Test
  void everyAppendCarriesASignedCheckpointThatCoversItsEntry() throws IOException {
    CheckpointSigner signer = signer();
    CheckpointVerifier verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
    try (FileAuditLog log = open(signer)) {
      List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(log.append(("entry " + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (CompletableFuture<AppendResult> future : futures) {
        AppendResult result = future.join();
        Checkpoint checkpoint = verifier.verify(result.checkpoint().orElseThrow());
        assertThat(checkpoint.size()).isEqualTo(result.treeSize());
        assertThat(checkpoint.rootHash()).isEqualTo(result.rootHash());
        ProofVerifier.verifyInclusion(
            result.leafHash(),
            result.index(),
            checkpoint.size(),
            log.inclusionProof(result.index(), checkpoint.size()),
            checkpoint.rootHash());
      }
    }
  }

  @Test
  void checkpointsOnlyGrowAndStayConsistentWithEarlierOnes() throws IOException {
    CheckpointSigner signer = signer();
    CheckpointVerifier verifier = CheckpointVerifier.forVerifierKey(signer.verifierKey());
    try (FileAuditLog log = open(signer)) {
      List<Checkpoint> seen = new ArrayList<>();
      seen.add(verifier.verify(log.checkpoint().orElseThrow()));
      List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(log.append(new byte[] {(byte) i}));
      }
      futures.stream()
          .map(CompletableFuture::join)
          .sorted(Comparator.comparingLong(AppendResult::index))
          .forEach(r -> seen.add(verifier.verify(r.checkpoint().orElseThrow())));
      seen.add(verifier.verify(log.checkpoint().orElseThrow()));

      assertThat(seen.get(0).size()).isZero();
      assertThat(seen.get(seen.size() - 1).size()).isEqualTo(100);
      for (int i = 1; i < seen.size(); i++) {
        Checkpoint older = seen.get(i - 1);
        Checkpoint newer = seen.get(i);
        assertThat(newer.size()).isGreaterThanOrEqualTo(older.size());
        if (older.size() > 0) {
          ProofVerifier.verifyConsistency(
              older.size(),
              newer.size(),
              older.rootHash(),
              newer.rootHash(),
              log.consistencyProof(older.size(), newer.size()));
        }
      }
    }
  }

  @Test
  void aReopenedLogStartsWithACheckpointOfWhatItRecovered() throws IOException {
    CheckpointSigner signer = signer();
    byte[] root;
    try (FileAuditLog log = open(signer)) {
      for (int i = 0; i < 5; i++) {
        log.append(new byte[] {(byte) i}).join();
      }
      root = log.root(5);
    }
    try (FileAuditLog log = open(signer)) {
      Checkpoint checkpoint =
          CheckpointVerifier.forVerifierKey(signer.verifierKey())
              .verify(log.checkpoint().orElseThrow());
      assertThat(checkpoint.size()).isEqualTo(5);
      assertThat(checkpoint.rootHash()).isEqualTo(root);
    }
  }

  @Test
  void aLogWithoutSignerGivesNoCheckpoints() throws IOException {
    try (FileAuditLog log = FileAuditLog.open(dir)) {
      assertThat(log.append(new byte[] {1}).join().checkpoint()).isEmpty();
      assertThat(log.checkpoint()).isEmpty();
    }
  }
}
