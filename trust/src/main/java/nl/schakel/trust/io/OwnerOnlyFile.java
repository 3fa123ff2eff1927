package nl.schakel.trust.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates files that hold secrets. */
public final class OwnerOnlyFile {

  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFile() {}

  /**
   * Creates {@code path} holding exactly {@code content}, readable and writable by the owner
   * only (0600) where the file system has POSIX permissions, and forces it to disk.
   *
   * <p>The permissions are set atomically at creation, not changed afterwards, so the secret is
   * never readable by others, not even briefly. Refuses to overwrite: replacing a key silently
   * would orphan every pseudonym or signature made with the old one.
   *
   * @throws FileAlreadyExistsException if {@code path} exists; nothing is changed
   */
  public static void createNew(Path path, byte[] content) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes =
        supportsPosix(path)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
            : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(path, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static boolean supportsPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
