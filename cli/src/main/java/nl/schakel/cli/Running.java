package nl.schakel.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until Ctrl-C (SIGINT/SIGTERM), then runs its cleanup once. */
final class Running {
  private Running() {}

  static void untilInterrupted(AutoCloseable component) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        component.close();
        System.err.println("stopped");
      } catch (Exception e) {
        System.err.println("stopping: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "schakel-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
