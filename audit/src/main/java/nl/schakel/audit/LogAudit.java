package nl.schakel.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An auditor's check of a whole log directory against signed checkpoints saved earlier: every
 * entry is re-read and re-hashed ({@link LogReader}), the tree rebuilt, and each checkpoint must
 * verify with the trusted key and sign a prefix of that very tree. So a changed entry, a deleted
 * or truncated tail, and a fork (a checkpoint of another history signed by the same key) are all
 * found. Checkpoints are also compared with each other: two that sign the same size with
 * different roots prove the log equivocated, whatever the files say.
 */
public final class LogAudit {

  /** A signed checkpoint to check, and where it came from (for messages). */
  public record Source(String name, String note) {
    public Source {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(note, "note");
    }
  }

  /** A checkpoint that verified and matched the log. */
  public record Matched(String source, Checkpoint checkpoint) {}

  /**
   * What the audit found.
   *
   * @param entries complete entries read
   * @param root root of the tree over them
   * @param matched checkpoints that verified and sign a prefix of the log, smallest first
   * @param warnings things that are not failures (an incomplete tail ignored, no checkpoint given)
   * @param problems failures; the log does not match what was signed
   */
  public record Report(
      long entries, byte[] root, List<Matched> matched, List<String> warnings, List<String> problems) {
    public Report {
      root = root.clone();
      matched = List.copyOf(matched);
      warnings = List.copyOf(warnings);
      problems = List.copyOf(problems);
    }

    @Override
    public byte[] root() {
      return root.clone();
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private LogAudit() {}

  /**
   * Audits the log in {@code dir} against {@code checkpoints}. Throws {@link CorruptLogException}
   * when an entry was changed on disk (the message names its index), IOException when the
   * directory cannot be read.
   */
  public static Report audit(Path dir, CheckpointVerifier verifier, List<Source> checkpoints)
      throws IOException {
    LogReader.Result read = LogReader.read(dir);
    MerkleTree tree = read.tree();
    List<String> warnings = new ArrayList<>(read.warnings());
    List<String> problems = new ArrayList<>();
    List<Matched> verified = new ArrayList<>();
    for (Source source : checkpoints) {
      try {
        verified.add(new Matched(source.name(), verifier.verify(source.note())));
      } catch (CheckpointException e) {
        problems.add(source.name() + ": not a valid checkpoint of this log: " + e.getMessage());
      }
    }
    verified.sort(Comparator.comparingLong(m -> m.checkpoint().size()));
    for (int i = 1; i < verified.size(); i++) {
      Matched a = verified.get(i - 1);
      Matched b = verified.get(i);
      if (a.checkpoint().size() == b.checkpoint().size()
          && !Arrays.equals(a.checkpoint().rootHash(), b.checkpoint().rootHash())) {
        problems.add(
            a.source() + " and " + b.source() + " both sign tree size " + a.checkpoint().size()
                + " with different roots: the log forked (equivocation)");
      }
    }
    List<Matched> matched = new ArrayList<>();
    for (Matched m : verified) {
      Checkpoint c = m.checkpoint();
      if (c.size() > tree.size()) {
        problems.add(
            m.source() + " signs tree size " + c.size() + ", but the log holds only "
                + tree.size() + " entries: entries " + tree.size() + ".." + (c.size() - 1)
                + " were deleted or truncated");
        continue;
      }
      byte[] ours = tree.root(c.size());
      if (!Arrays.equals(ours, c.rootHash())) {
        problems.add(
            m.source() + " signs root " + b64(c.rootHash()) + " for tree size " + c.size()
                + ", but the log's first " + c.size() + " entries hash to " + b64(ours)
                + ": the log was changed, or the checkpoint is of a fork");
        continue;
      }
      matched.add(m);
    }
    if (checkpoints.isEmpty()) {
      warnings.add("no checkpoint given: only the entries' own checksums were checked");
    }
    return new Report(tree.size(), tree.root(), matched, warnings, problems);
  }

  private static String b64(byte[] hash) {
    return Base64.getEncoder().encodeToString(hash);
  }
}
