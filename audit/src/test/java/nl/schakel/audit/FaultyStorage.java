package nl.schakel.audit;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real segment files whose writes and fsyncs a test can fail or hold: a full disk or a failing
 * fsync cannot be staged portably, and holding an fsync is how a test sees a batch form without
 * timing anything.
 */
final class FaultyStorage implements ChannelOpener {

  private volatile IOException forceFailure;
  private volatile IOException writeFailure;
  private volatile boolean forcesHeld;
  private final Semaphore heldForces = new Semaphore(0);
  private final Semaphore forceReleases = new Semaphore(0);
  private final AtomicInteger completedForces = new AtomicInteger();

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new Channel(FileChannel.open(path, options));
  }

  void failForcesWith(IOException failure) {
    forceFailure = failure;
  }

  void failWritesWith(IOException failure) {
    writeFailure = failure;
  }

  /** From now on every fsync waits for {@link #releaseOneForce} or {@link #stopHoldingForces}. */
  void holdForces() {
    forcesHeld = true;
  }

  /** Waits until the writer thread is stuck in a held fsync. */
  void awaitHeldForce() throws InterruptedException {
    if (!heldForces.tryAcquire(10, TimeUnit.SECONDS)) {
      fail("the writer never reached an fsync");
    }
  }

  void releaseOneForce() {
    forceReleases.release();
  }

  void stopHoldingForces() {
    forcesHeld = false;
    forceReleases.release();
  }

  int completedForces() {
    return completedForces.get();
  }

  private final class Channel extends FileChannel {

    private final FileChannel delegate;

    Channel(FileChannel delegate) {
      this.delegate = delegate;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (forcesHeld) {
        heldForces.release();
        forceReleases.acquireUninterruptibly();
      }
      IOException failure = forceFailure;
      if (failure != null) {
        throw failure;
      }
      delegate.force(metaData);
      completedForces.incrementAndGet();
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      IOException failure = writeFailure;
      if (failure != null) {
        throw failure;
      }
      return delegate.write(src, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      IOException failure = writeFailure;
      if (failure != null) {
        throw failure;
      }
      return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      IOException failure = writeFailure;
      if (failure != null) {
        throw failure;
      }
      return delegate.write(srcs, offset, length);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      delegate.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      delegate.close();
    }
  }
}
