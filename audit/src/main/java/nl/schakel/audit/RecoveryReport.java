package nl.schakel.audit;

import java.util.List;

/**
 * What {@link FileAuditLog#open} found and repaired: the entries recovered, the number of segment
 * files, and the bytes of torn tail cut off. A non-empty {@code repairs} after a clean shutdown
 * deserves an operator's attention (and an alert): only a crash should leave a torn tail.
 */
public record RecoveryReport(
    long entries, int segments, long bytesDiscarded, List<String> repairs) {

  public RecoveryReport {
    repairs = List.copyOf(repairs);
  }

  /** Returns whether the log was opened without any repair. */
  public boolean clean() {
    return repairs.isEmpty();
  }
}
