package nl.schakel.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The entries of a log as a sequence of segment files: one writer thread appends batches to the
 * newest segment, any thread reads.
 *
 * <p>A batch goes out in as few writes as its size allows and one fsync, and only then becomes
 * readable: readers never see an entry that a crash could still take away. A segment is closed
 * for writing once it reaches the target size at a batch boundary, so no batch straddles two
 * files and only the newest file can ever have a torn tail.
 */
final class SegmentStore {

  private final Path dir;
  private final ChannelOpener opener;
  private final long segmentTargetBytes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<Segment> segments; // guarded by lock; appended to by the writer only
  // Writer thread only. Direct, so the JDK does not copy each write into a temporary buffer.
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(Frame.HEADER_BYTES + AuditLog.MAX_ENTRY_BYTES);
  private long nextIndex; // writer thread only

  /** Takes over recovered {@code segments}, oldest first. Requires at least one. */
  SegmentStore(Path dir, ChannelOpener opener, long segmentTargetBytes, List<Segment> segments) {
    this.dir = dir;
    this.opener = opener;
    this.segmentTargetBytes = segmentTargetBytes;
    this.segments = new ArrayList<>(segments);
    Segment newest = this.segments.get(this.segments.size() - 1);
    this.nextIndex = newest.firstIndex + newest.entryCount();
  }

  /**
   * Writes {@code entries} as the next consecutive indexes, fsyncs, and only then makes them
   * readable; returns the index of the first. Writer thread only. After an IOException the store
   * is in an unknown state and must not be written again.
   */
  long append(List<byte[]> entries) throws IOException {
    Segment active = newest();
    if (active.end() >= segmentTargetBytes && active.entryCount() > 0) {
      active = Segment.create(dir, nextIndex, opener);
      lock.writeLock().lock();
      try {
        segments.add(active);
      } finally {
        lock.writeLock().unlock();
      }
    }
    long first = nextIndex;
    long[] offsets = new long[entries.size()];
    long flushedTo = active.end();
    long position = flushedTo;
    buffer.clear();
    for (int i = 0; i < entries.size(); i++) {
      byte[] entry = entries.get(i);
      if (buffer.remaining() < Frame.size(entry)) {
        active.write(buffer.flip(), flushedTo);
        flushedTo = position;
        buffer.clear();
      }
      offsets[i] = position;
      Frame.write(buffer, first + i, entry);
      position += Frame.size(entry);
    }
    active.write(buffer.flip(), flushedTo);
    active.force();

    lock.writeLock().lock();
    try {
      active.publish(offsets, position);
    } finally {
      lock.writeLock().unlock();
    }
    nextIndex = first + entries.size();
    return first;
  }

  /** Returns the stored bytes of entry {@code index}. Requires a published index. */
  byte[] read(long index) throws IOException {
    Segment segment;
    long offset;
    lock.readLock().lock();
    try {
      segment = segmentOf(index);
      offset = segment.offsetOf(index);
    } finally {
      lock.readLock().unlock();
    }
    return segment.read(index, offset);
  }

  int segmentCount() {
    lock.readLock().lock();
    try {
      return segments.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Closes every file; the first failure is thrown after all were tried. */
  void close() throws IOException {
    lock.writeLock().lock();
    try {
      closeAll(segments);
    } finally {
      lock.writeLock().unlock();
    }
  }

  static void closeAll(List<Segment> segments) throws IOException {
    IOException first = null;
    for (Segment segment : segments) {
      try {
        segment.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private Segment newest() {
    return segments.get(segments.size() - 1);
  }

  // Binary search for the last segment starting at or before index; caller holds the lock.
  private Segment segmentOf(long index) {
    int low = 0;
    int high = segments.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (segments.get(mid).firstIndex <= index) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return segments.get(low);
  }
}
