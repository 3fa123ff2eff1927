package nl.schakel.audit;

import java.io.IOException;

/**
 * Opening a log found damage that recovery must not repair by itself, because repairing would
 * drop entries that were acknowledged (a bad frame before the newest segment's tail, a missing
 * segment, a file that is not a segment of this format). An operator restores from a backup or
 * replica; the message names the file, the offset and what was expected.
 */
public final class CorruptLogException extends IOException {

  CorruptLogException(String message) {
    super(message);
  }
}
