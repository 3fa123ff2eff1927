package nl.schakel.trust.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import nl.schakel.trust.pki.UntrustedCertificateException.Reason;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.VerifyingKey;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What a verifier believes about certificates: only what the federation CA signed, for the
 * purpose it signed it for, within its validity, for the party it names, unless its key is
 * revoked. Anchored at the CA certificate alone, never at a gateway's word, so a compromised
 * gateway cannot introduce a key. Immutable and thread-safe.
 *
 * <p>Party certificates are issued directly by the CA (pathLen 0): there are no intermediates to
 * chain through, so "chains to the CA" means "issued and signed by the CA".
 */
public final class FederationTrust {

  /** How long before expiry operators are warned to renew. */
  public static final Duration RENEWAL_WARNING = Duration.ofDays(30);

  /** Critical extensions this verifier understands; any other critical one refuses the cert. */
  private static final Set<String> UNDERSTOOD_CRITICAL =
      Set.of(
          Extension.basicConstraints.getId(),
          Extension.keyUsage.getId(),
          Extension.extendedKeyUsage.getId(),
          Extension.subjectAlternativeName.getId());
  /** GeneralName tag of uniformResourceIdentifier in {@code getSubjectAlternativeNames()}. */
  private static final int SAN_URI = 6;
  private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;

  private final X509Certificate ca;
  private final Set<KeyId> revoked;

  private FederationTrust(X509Certificate ca, Set<KeyId> revoked) {
    this.ca = ca;
    this.revoked = revoked;
  }

  /**
   * Trust anchored at {@code ca}.
   *
   * @throws IllegalArgumentException unless {@code ca} is a CA certificate (basicConstraints
   *     CA:true) whose key usage allows signing certificates
   */
  public static FederationTrust of(X509Certificate ca) {
    Objects.requireNonNull(ca, "ca");
    boolean[] usage = ca.getKeyUsage();
    if (ca.getBasicConstraints() < 0 || (usage != null && (usage.length < 6 || !usage[5]))) {
      throw new IllegalArgumentException(
          "the federation trust anchor must be a CA certificate (basicConstraints CA:true,"
              + " keyUsage keyCertSign); found one for "
              + PartyId.printable(ca.getSubjectX500Principal().getName()));
    }
    return new FederationTrust(ca, Set.of());
  }

  /**
   * Trust anchored at the CA certificate in {@code caCertFile} (e.g. {@code ca/ca.cert.pem}).
   *
   * @throws IOException if the file is unreadable, holds not exactly one certificate, or that is
   *     not a CA certificate
   */
  public static FederationTrust load(Path caCertFile) throws IOException {
    List<X509Certificate> certificates = Pem.readCertificates(caCertFile);
    if (certificates.size() != 1) {
      throw new IOException(
          caCertFile + " must hold exactly the CA certificate, found " + certificates.size()
              + " certificates");
    }
    try {
      return of(certificates.get(0));
    } catch (IllegalArgumentException e) {
      throw new IOException(caCertFile + ": " + e.getMessage());
    }
  }

  /**
   * This trust with {@code keyIds} as the denylist, replacing any earlier one: certificates for
   * these keys are refused as {@link Reason#REVOKED} however valid they are otherwise. A signing
   * certificate's key id is its Ed25519 {@link KeyId}; a TLS certificate's is {@link
   * #keyIdOf(X509Certificate)}.
   */
  public FederationTrust withRevoked(Set<KeyId> keyIds) {
    return new FederationTrust(ca, Set.copyOf(keyIds));
  }

  /**
   * Reads a denylist file: one key id per line; blank lines and lines starting with {@code #}
   * are ignored.
   *
   * @throws IOException if unreadable or a line is not a key id (the message gives the line)
   */
  public static Set<KeyId> readRevocations(Path file) throws IOException {
    Set<KeyId> ids = new LinkedHashSet<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        ids.add(KeyId.parse(line));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    return Set.copyOf(ids);
  }

  /** The first certificate in a PEM file, e.g. a party's {@code signing.cert.pem}. */
  public static X509Certificate readCertificate(Path file) throws IOException {
    return Pem.readCertificates(file).get(0);
  }

  /** The CA certificate this trust is anchored at. */
  public X509Certificate caCertificate() {
    return ca;
  }

  /** The denylist in force. */
  public Set<KeyId> revoked() {
    return revoked;
  }

  /**
   * The Ed25519 key that {@code certificate} certifies for {@code expectedParty}, after checking
   * that the federation CA issued it, that it and the CA are valid at {@code now}, that its only
   * party SAN URI names exactly {@code expectedParty}, that it is a signing certificate
   * (keyUsage digitalSignature only, no extendedKeyUsage), that the key is Ed25519, and that the
   * key is not revoked.
   *
   * @throws UntrustedCertificateException if any check fails; the reason says which
   */
  public VerifyingKey certifiedSigningKey(
      X509Certificate certificate, String expectedParty, Instant now)
      throws UntrustedCertificateException {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(expectedParty, "expectedParty");
    Objects.requireNonNull(now, "now");
    String party = checkIssued(certificate, now);
    if (!party.equals(expectedParty)) {
      throw new UntrustedCertificateException(
          Reason.WRONG_PARTY,
          "signing certificate names party " + party + ", expected " + PartyId.printable(expectedParty));
    }
    if (certificate.getExtensionValue(Extension.extendedKeyUsage.getId()) != null) {
      throw new UntrustedCertificateException(
          Reason.WRONG_USAGE,
          "certificate for party " + party + " carries an extendedKeyUsage: it is a TLS"
              + " certificate, expected a signing certificate (keyUsage digitalSignature only)");
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage == null || !onlyDigitalSignature(usage)) {
      throw new UntrustedCertificateException(
          Reason.WRONG_USAGE,
          "signing certificate for party " + party + " must have keyUsage digitalSignature only,"
              + " found " + describe(usage));
    }
    Optional<VerifyingKey> key = ed25519Key(certificate);
    if (key.isEmpty()) {
      throw new UntrustedCertificateException(
          Reason.WRONG_KEY_TYPE,
          "signing certificate for party " + party + " must certify an Ed25519 key, found "
              + certificate.getPublicKey().getAlgorithm());
    }
    checkNotRevoked(key.get().keyId(), party);
    return key.get();
  }

  /**
   * The party a TLS peer's certificate names, for mTLS checks after the handshake: checks that
   * the federation CA issued it, that it and the CA are valid at {@code now}, that it is a TLS
   * certificate (extendedKeyUsage serverAuth or clientAuth), that it names exactly one party,
   * and that its key is not revoked.
   *
   * @throws UntrustedCertificateException if any check fails; the reason says which
   */
  public String partyOf(X509Certificate tlsCertificate, Instant now)
      throws UntrustedCertificateException {
    Objects.requireNonNull(tlsCertificate, "tlsCertificate");
    Objects.requireNonNull(now, "now");
    String party = checkIssued(tlsCertificate, now);
    List<String> purposes;
    try {
      purposes = tlsCertificate.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new UntrustedCertificateException(
          Reason.MALFORMED, "certificate for party " + party + " has an unreadable extendedKeyUsage");
    }
    if (purposes == null
        || !(purposes.contains(KeyPurposeId.id_kp_serverAuth.getId())
            || purposes.contains(KeyPurposeId.id_kp_clientAuth.getId()))) {
      throw new UntrustedCertificateException(
          Reason.WRONG_USAGE,
          "certificate for party " + party + " has no extendedKeyUsage serverAuth or clientAuth:"
              + " it is not a TLS certificate (a signing certificate?)");
    }
    boolean[] usage = tlsCertificate.getKeyUsage();
    if (usage != null && !usage[KEY_USAGE_DIGITAL_SIGNATURE]) {
      throw new UntrustedCertificateException(
          Reason.WRONG_USAGE,
          "TLS certificate for party " + party + " must allow digitalSignature, found "
              + describe(usage));
    }
    checkNotRevoked(keyIdOf(tlsCertificate), party);
    return party;
  }

  /**
   * The key id a denylist names this certificate's key by: for an Ed25519 key its {@link KeyId};
   * for any other key (a TLS key) the same form, 16 hex characters of SHA-256, taken over the
   * DER SubjectPublicKeyInfo.
   */
  public static KeyId keyIdOf(X509Certificate certificate) {
    Optional<VerifyingKey> ed25519 = ed25519Key(certificate);
    if (ed25519.isPresent()) {
      return ed25519.get().keyId();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return KeyId.parse(HexFormat.of().formatHex(digest, 0, KeyId.BYTES));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  /**
   * Whether {@code certificate} expires within {@code window} of {@code now} (or has expired):
   * the trigger for the renewal warning, with {@link #RENEWAL_WARNING} as the usual window.
   */
  public static boolean expiresWithin(X509Certificate certificate, Duration window, Instant now) {
    Objects.requireNonNull(window, "window");
    return !certificate.getNotAfter().toInstant().isAfter(now.plus(window));
  }

  /** Issuer, signature, validity, CA-ness, critical extensions, party; returns the party. */
  private String checkIssued(X509Certificate certificate, Instant now)
      throws UntrustedCertificateException {
    if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new UntrustedCertificateException(
          Reason.WRONG_CA,
          "certificate is issued by " + PartyId.printable(certificate.getIssuerX500Principal().getName())
              + ", expected the federation CA "
              + PartyId.printable(ca.getSubjectX500Principal().getName()));
    }
    try {
      certificate.verify(ca.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new UntrustedCertificateException(
          Reason.WRONG_CA,
          "certificate names the federation CA as issuer, but its signature does not verify with"
              + " the CA's key");
    }
    if (now.isAfter(ca.getNotAfter().toInstant())) {
      throw new UntrustedCertificateException(
          Reason.EXPIRED,
          "the federation CA certificate expired at " + ca.getNotAfter().toInstant() + "; it is "
              + now);
    }
    if (now.isBefore(ca.getNotBefore().toInstant())) {
      throw new UntrustedCertificateException(
          Reason.NOT_YET_VALID,
          "the federation CA certificate is valid from " + ca.getNotBefore().toInstant()
              + "; it is " + now);
    }
    String party = partyNamed(certificate).orElse(null);
    String who = party == null ? "certificate" : "certificate for party " + party;
    if (now.isAfter(certificate.getNotAfter().toInstant())) {
      throw new UntrustedCertificateException(
          Reason.EXPIRED,
          who + " expired at " + certificate.getNotAfter().toInstant() + "; it is " + now);
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      throw new UntrustedCertificateException(
          Reason.NOT_YET_VALID,
          who + " is valid from " + certificate.getNotBefore().toInstant() + "; it is " + now);
    }
    if (certificate.getBasicConstraints() >= 0) {
      throw new UntrustedCertificateException(
          Reason.WRONG_USAGE, who + " is a CA certificate, expected a party certificate");
    }
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    if (critical != null) {
      for (String oid : critical) {
        if (!UNDERSTOOD_CRITICAL.contains(oid)) {
          throw new UntrustedCertificateException(
              Reason.MALFORMED, who + " carries critical extension " + oid + ", which is not understood");
        }
      }
    }
    if (party == null) {
      throw new UntrustedCertificateException(
          Reason.WRONG_PARTY,
          "certificate must name exactly one party as SAN URI " + PartyId.URI_PREFIX
              + "<id>, found " + partyUris(certificate).size());
    }
    return party;
  }

  private void checkNotRevoked(KeyId keyId, String party) throws UntrustedCertificateException {
    if (revoked.contains(keyId)) {
      throw new UntrustedCertificateException(
          Reason.REVOKED,
          "key " + keyId + " of party " + party + " is revoked by the federation's denylist");
    }
  }

  /** The party a certificate names, if it names exactly one well-formed party id. */
  static Optional<String> partyNamed(X509Certificate certificate) {
    List<String> uris = partyUris(certificate);
    if (uris.size() != 1) {
      return Optional.empty();
    }
    String id = uris.get(0).substring(PartyId.URI_PREFIX.length());
    return PartyId.isValid(id) ? Optional.of(id) : Optional.empty();
  }

  private static List<String> partyUris(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    List<String> uris = new ArrayList<>();
    if (names != null) {
      for (List<?> name : names) {
        if (name.size() == 2
            && Integer.valueOf(SAN_URI).equals(name.get(0))
            && name.get(1) instanceof String uri
            && uri.startsWith(PartyId.URI_PREFIX)) {
          uris.add(uri);
        }
      }
    }
    return uris;
  }

  /** The Ed25519 key a certificate certifies, if it certifies one. */
  static Optional<VerifyingKey> ed25519Key(X509Certificate certificate) {
    try {
      SubjectPublicKeyInfo info =
          SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
      if (!info.getAlgorithm().getAlgorithm().equals(FederationCa.ID_ED25519)
          || info.getAlgorithm().getParameters() != null) {
        return Optional.empty();
      }
      return Optional.of(VerifyingKey.fromRaw(info.getPublicKeyData().getOctets()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean onlyDigitalSignature(boolean[] usage) {
    for (int i = 0; i < usage.length; i++) {
      if (usage[i] != (i == KEY_USAGE_DIGITAL_SIGNATURE)) {
        return false;
      }
    }
    return true;
  }

  private static String describe(boolean[] usage) {
    if (usage == null) {
      return "no keyUsage";
    }
    String[] names = {
      "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
      "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"
    };
    List<String> set = new ArrayList<>();
    for (int i = 0; i < usage.length && i < names.length; i++) {
      if (usage[i]) {
        set.add(names[i]);
      }
    }
    return "keyUsage " + (set.isEmpty() ? "(none)" : String.join("|", set));
  }

  @Override
  public String toString() {
    return "FederationTrust[" + PartyId.printable(ca.getSubjectX500Principal().getName())
        + ", " + revoked.size() + " revoked keys]";
  }
}
