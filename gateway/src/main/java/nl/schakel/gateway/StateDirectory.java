package nl.schakel.gateway;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The directory of the gateway's admission state (budgets, approvals), locked for one gateway:
 * two gateways charging one budget file would each see only their own charges.
 */
final class StateDirectory implements AutoCloseable {
  static final String LOCK_FILE = "state.lock";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private StateDirectory(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates {@code dir} if needed and locks it, or throws if another gateway holds it. */
  static StateDirectory open(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("state directory " + dir + " is in use by another gateway; expected it unlocked");
    }
    return new StateDirectory(dir, channel, lock);
  }

  Path resolve(String file) {
    return dir.resolve(file);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock dies with the process anyway.
    }
  }
}
