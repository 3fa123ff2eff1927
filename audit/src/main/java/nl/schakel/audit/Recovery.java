package nl.schakel.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Opening a log directory after any kind of stop: reads every segment oldest first, checks each
 * frame, and cuts a torn tail off the newest segment.
 *
 * <p>Why cutting is safe there, and only there: an append is acknowledged after the fsync that
 * covers its whole batch, and a segment is never written again once a newer one exists. So a crash
 * can only leave damage after the last acknowledged frame of the newest segment, in bytes nobody
 * was told were stored. Damage anywhere else is something other than a crash (a disk fault, an
 * edit) and recovery refuses with {@link CorruptLogException} instead of silently dropping
 * acknowledged entries.
 */
final class Recovery {

  /** The recovered store, what was repaired (human-readable) and how many bytes were cut. */
  record Result(SegmentStore store, List<String> repairs, long bytesDiscarded) {}

  private final List<String> repairs = new ArrayList<>();
  private long bytesDiscarded;

  private Recovery() {}

  /**
   * Recovers the segments in {@code dir}, or creates the first one in an empty directory, feeding
   * every surviving entry to {@code onEntry} in index order. Requires that this process holds the
   * directory's lock.
   */
  static Result recover(
      Path dir, ChannelOpener opener, long segmentTargetBytes, Consumer<byte[]> onEntry)
      throws IOException {
    Recovery recovery = new Recovery();
    SegmentStore store = recovery.run(dir, opener, segmentTargetBytes, onEntry);
    return new Result(store, List.copyOf(recovery.repairs), recovery.bytesDiscarded);
  }

  private SegmentStore run(
      Path dir, ChannelOpener opener, long segmentTargetBytes, Consumer<byte[]> onEntry)
      throws IOException {
    List<Segment> segments = new ArrayList<>();
    try {
      Map<Long, Path> files = segmentFiles(dir);
      if (files.isEmpty()) {
        segments.add(Segment.create(dir, 0, opener));
      }
      int remaining = files.size();
      for (Map.Entry<Long, Path> file : files.entrySet()) {
        boolean newest = --remaining == 0;
        long expectedFirst = segments.isEmpty() ? 0 : next(segments.get(segments.size() - 1));
        if (file.getKey() != expectedFirst) {
          throw new CorruptLogException(
              file.getValue()
                  + " starts at index "
                  + file.getKey()
                  + ", expected "
                  + expectedFirst
                  + ": a segment is missing or does not belong here");
        }
        Segment segment = Segment.open(file.getValue(), file.getKey(), opener);
        segments.add(segment);
        recoverSegment(segment, newest, onEntry);
      }
      return new SegmentStore(dir, opener, segmentTargetBytes, segments);
    } catch (IOException | RuntimeException e) {
      try {
        SegmentStore.closeAll(segments);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void recoverSegment(Segment segment, boolean newest, Consumer<byte[]> onEntry)
      throws IOException {
    switch (segment.readHeader()) {
      case VALID -> {}
      case TORN -> {
        if (!newest) {
          throw new CorruptLogException(
              segment.path + " has no complete header but is not the newest segment");
        }
        // A crash while creating the segment: it cannot hold a frame yet.
        segment.writeHeader();
        repairs.add(segment.path + ": rewrote a header torn by a crash during creation");
        return;
      }
      case FOREIGN -> throw new CorruptLogException(
          segment.path + " does not start with the header \"schakel-audit-v1\"");
    }
    Segment.Scan scan = segment.scan(onEntry);
    if (scan.damage().isEmpty()) {
      return;
    }
    if (!newest) {
      throw new CorruptLogException(
          segment.path
              + " is damaged at offset "
              + scan.validEnd()
              + " ("
              + scan.damage().get()
              + ") but is not the newest segment, so acknowledged entries follow the damage;"
              + " restore the directory from a backup or replica");
    }
    long cut = segment.truncateToEnd();
    bytesDiscarded += cut;
    repairs.add(
        segment.path
            + ": cut "
            + cut
            + " bytes of torn tail at offset "
            + scan.validEnd()
            + " ("
            + scan.damage().get()
            + "); the log continues at index "
            + next(segment));
  }

  private static long next(Segment segment) {
    return segment.firstIndex + segment.entryCount();
  }

  private static Map<Long, Path> segmentFiles(Path dir) throws IOException {
    Map<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
      for (Path path : listing) {
        OptionalLong first = Segment.firstIndexOf(path.getFileName().toString());
        if (first.isPresent()) {
          files.put(first.getAsLong(), path);
        }
      }
    }
    return files;
  }
}
