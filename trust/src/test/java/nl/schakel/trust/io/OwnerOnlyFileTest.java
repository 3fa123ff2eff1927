package nl.schakel.trust.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFileTest {

  @TempDir Path dir;

  @Test
  void createsTheFileWithExactlyTheContent() throws Exception {
    Path file = dir.resolve("secret");

    OwnerOnlyFile.createNew(file, new byte[] {1, 2, 3});

    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
  }

  @Test
  void makesTheFileReadableByItsOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("secret");

    OwnerOnlyFile.createNew(file, new byte[] {1});

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToOverwriteAndLeavesTheExistingFileAlone() throws Exception {
    Path file = dir.resolve("secret");
    Files.write(file, new byte[] {9});

    assertThatThrownBy(() -> OwnerOnlyFile.createNew(file, new byte[] {1}))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readAllBytes(file)).containsExactly(9);
  }
}
