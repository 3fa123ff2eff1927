package nl.schakel.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one durability step a {@link FileChannel} does not offer: fsync of a directory, which makes
 * a newly created file's name survive a crash (POSIX leaves it to the directory's own fsync).
 */
final class Durability {

  private Durability() {}

  /** Flushes the entries of {@code dir} to disk. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
