package nl.schakel.audit;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link CrashTest}: appends forever, many at a time, and prints {@code
 * "<index> <sequence number>"} for every append only once it is acknowledged, until killed.
 */
public final class AppendUntilKilled {

  private AppendUntilKilled() {}

  public static void main(String[] args) throws Exception {
    FileAuditLog log = FileAuditLog.open(Path.of(args[0]));
    PrintStream out = System.out;
    Semaphore inFlight = new Semaphore(32);
    for (long sequence = 0; ; sequence++) {
      inFlight.acquire();
      long s = sequence;
      log.append(entry(s))
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  failure.printStackTrace();
                  Runtime.getRuntime().halt(3);
                }
                synchronized (out) {
                  out.println(result.index() + " " + s);
                  out.flush();
                }
                inFlight.release();
              });
    }
  }

  /** The entry appended as number {@code sequence}: its text, repeated to vary frame sizes. */
  static byte[] entry(long sequence) {
    return ("entry " + sequence + ";").repeat(1 + (int) (sequence % 7)).getBytes(StandardCharsets.UTF_8);
  }
}
