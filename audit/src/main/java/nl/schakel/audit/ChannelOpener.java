package nl.schakel.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens segment files. Production uses {@link FileChannel#open(Path, OpenOption...)}; tests pass
 * channels that fail or pause on demand, because a full disk or a failing fsync cannot be staged
 * portably.
 */
@FunctionalInterface
interface ChannelOpener {

  FileChannel open(Path path, OpenOption... options) throws IOException;
}
