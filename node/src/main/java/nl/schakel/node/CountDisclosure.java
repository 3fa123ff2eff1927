package nl.schakel.node;

import java.util.Optional;
import nl.schakel.covenant.Disclosure;
import nl.schakel.proto.v1.Count;

/**
 * The one place a count becomes what the asker may see (principle 1): the rule's own disclosure
 * control, or the conservative default {@link CountRelease} for a count rule that states none.
 */
final class CountDisclosure {
  private CountDisclosure() {}

  static Count release(Tally tally, Optional<Disclosure> disclosure) {
    if (disclosure.isEmpty()) {
      return CountRelease.release(tally.count());
    }
    Disclosure d = disclosure.get();
    if (d instanceof Disclosure.Bands bands) {
      return BandDisclosure.release(tally.count(), bands);
    }
    if (d instanceof Disclosure.MinRound minRound) {
      return CellKeyDisclosure.release(tally, minRound);
    }
    throw new IllegalStateException("no release for disclosure " + d.getClass().getSimpleName());
  }
}
