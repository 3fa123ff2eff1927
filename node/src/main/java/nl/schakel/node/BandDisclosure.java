package nl.schakel.node;

import nl.schakel.covenant.Disclosure;
import nl.schakel.proto.v1.Band;
import nl.schakel.proto.v1.Count;

/**
 * A rule's {@code disclosure: {bands: [...]}}: the answer is the band the count falls in ("0",
 * "1-2", "3-5", "6+"), never the count itself, so the exact value is not even on the wire.
 */
final class BandDisclosure {
  private BandDisclosure() {}

  static Count release(long raw, Disclosure.Bands bands) {
    Disclosure.Band b = bands.bandFor(raw);
    Band.Builder band = Band.newBuilder().setLow(b.lower());
    b.upper().ifPresentOrElse(band::setHigh, () -> band.setOpenEnded(true));
    return Count.newBuilder().setBand(band).setDisplay(b.display()).build();
  }
}
