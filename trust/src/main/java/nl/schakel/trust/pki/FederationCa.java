package nl.schakel.trust.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.VerifyingKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The federation's certificate authority: an ECDSA P-256 key and a self-signed certificate
 * (basicConstraints CA:true, pathLen 0: it issues party certificates and nothing that issues in
 * turn) that every verifier anchors at. It certifies, per party, a TLS key for mTLS and the
 * party's Ed25519 signing key, both naming the party as SAN URI {@code urn:schakel:party:<id>}.
 *
 * <p>Files: {@value #KEY_FILE} (PKCS#8, 0600) and {@value #CERT_FILE}. The demo keeps the CA on
 * disk beside the federation; a production federation keeps the key offline or uses an existing
 * PKI, which is why verifiers depend only on the CA certificate ({@link FederationTrust}).
 */
public final class FederationCa {

  public static final String KEY_FILE = "ca.key.pem";
  public static final String CERT_FILE = "ca.cert.pem";
  /** How long party certificates live unless the caller says otherwise. */
  public static final Duration DEFAULT_PARTY_VALIDITY = Duration.ofDays(365);
  /** Names every party's TLS certificate carries, so that loopback demos verify hostnames. */
  public static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1");

  /**
   * Certificates start this long before they are issued, so that a host whose clock runs a few
   * minutes behind the CA's does not reject a certificate fresh from the CA.
   */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final String SUBJECT_PREFIX = "Schakel federation CA ";
  /** id-Ed25519, RFC 8410 section 3: the algorithm of a signing certificate's public key. */
  static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
  private static final Pattern DNS_NAME =
      Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  private final String federation;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final SecureRandom random;

  private FederationCa(
      String federation, PrivateKey key, X509Certificate certificate, SecureRandom random) {
    this.federation = federation;
    this.key = key;
    this.certificate = certificate;
    this.random = random;
  }

  /**
   * A new CA for {@code federation}, valid from now (less {@link #BACKDATE}) for {@code
   * validity}; {@code random} makes its key and serial numbers and is kept for issuing.
   *
   * @throws IllegalArgumentException if the federation name is not a party-id-like name (a-z, 0-9,
   *     '-'; it goes into the CA's subject) or the validity is not positive
   */
  public static FederationCa create(
      String federation, Clock clock, Duration validity, SecureRandom random) {
    PartyId.require(federation, "federation name");
    Objects.requireNonNull(clock, "clock");
    requirePositive(validity, "CA validity");
    Objects.requireNonNull(random, "random");
    KeyPair pair = P256.generate(random);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    X500Name subject = new X500Name("CN=" + SUBJECT_PREFIX + federation);
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new X509v3CertificateBuilder(
              subject, serial(random), Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(validity)), subject, spki)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier, false,
                  extensions.createSubjectKeyIdentifier(spki));
      X509Certificate certificate = sign(builder, pair.getPrivate(), random);
      return new FederationCa(federation, pair.getPrivate(), certificate, random);
    } catch (NoSuchAlgorithmException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /**
   * Reads a CA written by {@link #writeTo(Path)} from {@code dir}.
   *
   * @throws IOException if a file is missing or unreadable, the certificate is not a P-256 CA
   *     certificate of this kind, or the key does not belong to it
   */
  public static FederationCa load(Path dir, SecureRandom random) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(random, "random");
    Path certFile = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    List<X509Certificate> certificates = Pem.readCertificates(certFile);
    if (certificates.size() != 1) {
      throw new IOException(
          certFile + " must hold exactly the CA certificate, found " + certificates.size()
              + " certificates");
    }
    X509Certificate certificate = certificates.get(0);
    String cn = commonName(certificate.getSubjectX500Principal());
    if (!cn.startsWith(SUBJECT_PREFIX) || !PartyId.isValid(cn.substring(SUBJECT_PREFIX.length()))) {
      throw new IOException(
          certFile + " must name \"CN=" + SUBJECT_PREFIX + "<federation>\", found "
              + PartyId.printable(certificate.getSubjectX500Principal().getName()));
    }
    if (certificate.getBasicConstraints() < 0 || !P256.isP256(certificate.getPublicKey())) {
      throw new IOException(certFile + " must hold an ECDSA P-256 CA certificate");
    }
    PrivateKey key = Pem.readPrivateKey(keyFile, "EC");
    if (!P256.pairs(key, certificate.getPublicKey(), random)) {
      throw new IOException(
          keyFile + " is not the private key of the CA certificate " + certFile);
    }
    return new FederationCa(cn.substring(SUBJECT_PREFIX.length()), key, certificate, random);
  }

  /**
   * Writes {@value #KEY_FILE} (0600) and {@value #CERT_FILE} into {@code dir}, creating it.
   *
   * @throws FileAlreadyExistsException if either file exists: a second CA would silently orphan
   *     every certificate the first one issued; nothing is written then
   */
  public void writeTo(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    for (String name : List.of(KEY_FILE, CERT_FILE)) {
      if (Files.exists(dir.resolve(name))) {
        throw new FileAlreadyExistsException(
            dir.resolve(name).toString(), null,
            "a federation CA exists here already; it is left as is");
      }
    }
    Pem.writePrivateKey(dir.resolve(KEY_FILE), key);
    Pem.writeCertificates(dir.resolve(CERT_FILE), List.of(certificate));
  }

  /** The federation this CA serves, as named in its subject. */
  public String federation() {
    return federation;
  }

  /** The self-signed CA certificate verifiers anchor at. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Credentials for {@code party} with a freshly generated Ed25519 signing key. */
  public PartyCredentials issue(String party, Clock clock, Duration validity) {
    return issue(party, SigningKey.generate(random), clock, validity, Set.of());
  }

  /** Credentials for {@code party} certifying its existing {@code signingKey}. */
  public PartyCredentials issue(
      String party, SigningKey signingKey, Clock clock, Duration validity) {
    return issue(party, signingKey, clock, validity, Set.of());
  }

  /**
   * Issues credentials for {@code party} (the gateway's party id is {@code gateway}), valid from
   * now (less {@link #BACKDATE}) for {@code validity}:
   *
   * <ul>
   *   <li>a TLS certificate for a fresh ECDSA P-256 key, for server and client authentication,
   *       naming the party (SAN URI), {@link #LOOPBACK_HOSTS} and {@code extraHosts} (DNS names
   *       or IP addresses the party's node is reached at);
   *   <li>a signing certificate for {@code signingKey}, digitalSignature only.
   * </ul>
   *
   * Issuing again for the same party with a new signing key is how keys rotate: both
   * certificates verify until the old one expires or its key id is revoked.
   *
   * @throws IllegalArgumentException if the party id or a host is malformed, the validity is not
   *     positive, or the certificates would outlive the CA's own certificate
   */
  public PartyCredentials issue(
      String party, SigningKey signingKey, Clock clock, Duration validity, Set<String> extraHosts) {
    PartyId.require(party, "party");
    Objects.requireNonNull(signingKey, "signingKey");
    Objects.requireNonNull(clock, "clock");
    requirePositive(validity, "certificate validity");
    List<GeneralName> hosts = hostNames(extraHosts);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = now.plus(validity);
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      throw new IllegalArgumentException(
          "certificates valid until " + notAfter + " would outlive the federation CA, valid until "
              + caNotAfter + "; issue for a shorter validity or renew the CA first");
    }
    KeyPair tlsKey = P256.generate(random);

    List<GeneralName> tlsNames = new ArrayList<>();
    tlsNames.add(partyName(party));
    tlsNames.addAll(hosts);
    X509Certificate tlsCertificate =
        issueLeaf(
            "CN=" + party,
            SubjectPublicKeyInfo.getInstance(tlsKey.getPublic().getEncoded()),
            now, notAfter, tlsNames,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    X509Certificate signingCertificate =
        issueLeaf(
            "CN=" + party + " signing",
            ed25519Info(signingKey.verifyingKey()),
            now, notAfter, List.of(partyName(party)), null);
    return new PartyCredentials(
        party, tlsKey.getPrivate(), tlsCertificate, certificate, signingKey, signingCertificate);
  }

  private X509Certificate issueLeaf(
      String subject,
      SubjectPublicKeyInfo spki,
      Instant now,
      Instant notAfter,
      List<GeneralName> names,
      ExtendedKeyUsage extendedKeyUsage) {
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new X509v3CertificateBuilder(
              X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              serial(random), Date.from(now.minus(BACKDATE)), Date.from(notAfter),
              new X500Name(subject), spki)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              // digitalSignature only: a TLS 1.3 / ECDHE handshake signs, and a signing key signs;
              // neither certifies, encrypts or agrees keys.
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectAlternativeName, false,
                  new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.subjectKeyIdentifier, false,
                  extensions.createSubjectKeyIdentifier(spki))
              .addExtension(
                  Extension.authorityKeyIdentifier, false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      if (extendedKeyUsage != null) {
        builder.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage);
      }
      return sign(builder, key, random);
    } catch (NoSuchAlgorithmException | CertIOException | CertificateException e) {
      throw new IllegalStateException("cannot build a certificate for " + subject, e);
    }
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder, PrivateKey signer, SecureRandom random) {
    try {
      ContentSigner contentSigner =
          new JcaContentSignerBuilder(P256.SIGNATURE_ALGORITHM).setSecureRandom(random).build(signer);
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot sign a certificate with the CA key", e);
    }
  }

  static SubjectPublicKeyInfo ed25519Info(VerifyingKey key) {
    return new SubjectPublicKeyInfo(new AlgorithmIdentifier(ID_ED25519), key.raw());
  }

  private static GeneralName partyName(String party) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, PartyId.uri(party));
  }

  private static List<GeneralName> hostNames(Set<String> extraHosts) {
    Objects.requireNonNull(extraHosts, "extraHosts");
    Set<String> hosts = new LinkedHashSet<>(LOOPBACK_HOSTS);
    for (String host : extraHosts) {
      hosts.add(Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT));
    }
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      if (IPAddress.isValid(host)) {
        names.add(new GeneralName(GeneralName.iPAddress, host));
      } else if (DNS_NAME.matcher(host).matches()) {
        names.add(new GeneralName(GeneralName.dNSName, host));
      } else {
        throw new IllegalArgumentException(
            "a host must be a DNS name (letters, digits, '-', '.') or an IP address, found '"
                + PartyId.printable(host) + "'");
      }
    }
    return names;
  }

  /**
   * A positive serial of 127 random bits: unpredictable serials are what kept chosen-prefix
   * collisions from forging certificates (CA/Browser Forum baseline 7.1 asks for 64 bits).
   */
  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(126, random).setBit(126);
  }

  private static void requirePositive(Duration validity, String what) {
    if (validity == null || validity.isNegative() || validity.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(what + " must be at least PT1S, found " + validity);
    }
  }

  static String commonName(X500Principal principal) {
    X500Name name = X500Name.getInstance(principal.getEncoded());
    RDN[] rdns = name.getRDNs(BCStyle.CN);
    if (rdns.length != 1 || rdns[0].isMultiValued()) {
      return "";
    }
    return IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  @Override
  public String toString() {
    return "FederationCa[" + federation + ", valid until " + certificate.getNotAfter().toInstant()
        + ", private key redacted]";
  }
}
