package nl.schakel.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per log directory: an exclusive lock on {@code audit.lock} inside it. Two writers
 * would interleave frames and fork the tree.
 *
 * <p>The OS lock (fcntl on Linux) belongs to the process, and closing <em>any</em> channel on the
 * lock file releases it, so a second attempt from this same process must never open the file. The
 * set of directories this process holds is therefore process-wide too: the one piece of static
 * mutable state in this module, mirroring state the OS already keeps per process.
 */
final class DirectoryLock {

  static final String FILE_NAME = "audit.lock";

  private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dir} for this process or throws. Requires an existing directory. */
  static DirectoryLock acquire(Path dir) throws IOException {
    Path key = dir.toRealPath();
    if (!HELD_BY_THIS_PROCESS.add(key)) {
      throw alreadyOpen(key, "by another FileAuditLog in this process");
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw alreadyOpen(key, "by another process");
      }
      return new DirectoryLock(key, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      HELD_BY_THIS_PROCESS.remove(key);
      throw e;
    }
  }

  void release() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD_BY_THIS_PROCESS.remove(dir);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // unreachable while the set above is consulted first, kept as a safety net
    }
  }

  private static IOException alreadyOpen(Path dir, String byWhom) {
    return new IOException(
        "audit log directory "
            + dir
            + " is already open "
            + byWhom
            + " (it holds "
            + FILE_NAME
            + "); expected exactly one writer per directory");
  }
}
