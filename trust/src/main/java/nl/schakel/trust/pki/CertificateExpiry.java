package nl.schakel.trust.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The certificates a gateway or node depends on and when they run out. A certificate that expires
 * unnoticed takes that component out of the federation at that moment, so operators are warned {@link
 * FederationTrust#RENEWAL_WARNING} ahead, at start and daily.
 */
public record CertificateExpiry(List<Watched> certificates) {
  /** One certificate, the file it came from, and the party it belongs to (or "federation CA"). */
  public record Watched(Path file, String party, X509Certificate certificate) {
    public Instant notAfter() {
      return certificate.getNotAfter().toInstant();
    }

    /** Whole days left until expiry at {@code now}; negative once expired. */
    public long daysLeft(Instant now) {
      return Math.floorDiv(Duration.between(now, notAfter()).toSeconds(), Duration.ofDays(1).toSeconds());
    }

    public String warning(Instant now) {
      LocalDate on = LocalDate.ofInstant(notAfter(), ZoneOffset.UTC);
      long days = daysLeft(now);
      return now.isAfter(notAfter())
          ? "certificate " + file + " of party " + party + " expired on " + on + " (" + -days + " days ago)"
          : "certificate " + file + " of party " + party + " expires on " + on + " (in " + days + " days)";
    }
  }

  public CertificateExpiry {
    certificates = List.copyOf(certificates);
  }

  /** A warning per certificate that expires within the renewal window of {@code now}, soonest first. */
  public List<String> warnings(Instant now) {
    return certificates.stream()
        .filter(w -> FederationTrust.expiresWithin(w.certificate(), FederationTrust.RENEWAL_WARNING, now))
        .sorted(Comparator.comparing(Watched::notAfter))
        .map(w -> w.warning(now))
        .toList();
  }

  /** The certificate that expires first. */
  public Optional<Watched> soonest() {
    return certificates.stream().min(Comparator.comparing(Watched::notAfter));
  }
}
