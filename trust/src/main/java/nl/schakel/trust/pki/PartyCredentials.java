package nl.schakel.trust.pki;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * One party's credentials from the federation CA: a TLS key and certificate for mTLS, and its
 * Ed25519 signing key with the certificate that vouches for it. Immutable; {@link #toString()}
 * shows nothing secret.
 *
 * <p>Files in a party directory:
 *
 * <ul>
 *   <li>{@value #TLS_KEY_FILE}: the TLS private key, PKCS#8 PEM, 0600;
 *   <li>{@value #TLS_CERT_FILE}: the TLS certificate, then the CA certificate (the chain a TLS
 *       peer is sent; Netty's {@code forServer(certChainFile, keyFile)} reads it as is);
 *   <li>{@value #SIGNING_KEY_FILE}: the Ed25519 signing key, PKCS#8 PEM, 0600;
 *   <li>{@value #SIGNING_CERT_FILE}: the signing certificate.
 * </ul>
 */
public final class PartyCredentials {

  public static final String TLS_KEY_FILE = "tls.key.pem";
  public static final String TLS_CERT_FILE = "tls.cert.pem";
  public static final String SIGNING_KEY_FILE = "signing.key.pem";
  public static final String SIGNING_CERT_FILE = "signing.cert.pem";

  private static final List<String> FILES =
      List.of(TLS_KEY_FILE, TLS_CERT_FILE, SIGNING_KEY_FILE, SIGNING_CERT_FILE);

  private final String party;
  private final PrivateKey tlsKey;
  private final X509Certificate tlsCertificate;
  private final X509Certificate caCertificate;
  private final SigningKey signingKey;
  private final X509Certificate signingCertificate;

  PartyCredentials(
      String party,
      PrivateKey tlsKey,
      X509Certificate tlsCertificate,
      X509Certificate caCertificate,
      SigningKey signingKey,
      X509Certificate signingCertificate) {
    this.party = party;
    this.tlsKey = tlsKey;
    this.tlsCertificate = tlsCertificate;
    this.caCertificate = caCertificate;
    this.signingKey = signingKey;
    this.signingCertificate = signingCertificate;
  }

  /**
   * Reads the four files of a party directory and checks that they belong together: each key
   * matches its certificate, and both certificates name the same party. Whether the CA vouches
   * for them is {@link FederationTrust}'s question, asked by whoever relies on them.
   *
   * @throws IOException if a file is missing or unreadable, or the files do not belong together
   */
  public static PartyCredentials load(Path partyDir) throws IOException {
    Objects.requireNonNull(partyDir, "partyDir");
    Path tlsCertFile = partyDir.resolve(TLS_CERT_FILE);
    List<X509Certificate> chain = Pem.readCertificates(tlsCertFile);
    if (chain.size() != 2) {
      throw new IOException(
          tlsCertFile + " must hold the TLS certificate and then the CA certificate, found "
              + chain.size() + " certificates");
    }
    Path signingCertFile = partyDir.resolve(SIGNING_CERT_FILE);
    List<X509Certificate> signing = Pem.readCertificates(signingCertFile);
    if (signing.size() != 1) {
      throw new IOException(
          signingCertFile + " must hold exactly one certificate, found " + signing.size());
    }
    Path tlsKeyFile = partyDir.resolve(TLS_KEY_FILE);
    PrivateKey tlsKey = Pem.readPrivateKey(tlsKeyFile, "EC");
    if (!P256.pairs(tlsKey, chain.get(0).getPublicKey(), new SecureRandom())) {
      throw new IOException(tlsKeyFile + " is not the private key of the certificate in " + tlsCertFile);
    }
    Path signingKeyFile = partyDir.resolve(SIGNING_KEY_FILE);
    SigningKey signingKey = SigningKey.readPem(signingKeyFile);
    Optional<VerifyingKey> certified = FederationTrust.ed25519Key(signing.get(0));
    if (certified.isEmpty() || !certified.get().equals(signingKey.verifyingKey())) {
      throw new IOException(
          signingKeyFile + " (key " + signingKey.keyId() + ") is not the key certified in "
              + signingCertFile);
    }
    Optional<String> tlsParty = FederationTrust.partyNamed(chain.get(0));
    Optional<String> signingParty = FederationTrust.partyNamed(signing.get(0));
    if (tlsParty.isEmpty() || !tlsParty.equals(signingParty)) {
      throw new IOException(
          tlsCertFile + " and " + signingCertFile + " must name the same party as SAN URI "
              + PartyId.URI_PREFIX + "<id>, found " + tlsParty.orElse("none") + " and "
              + signingParty.orElse("none"));
    }
    return new PartyCredentials(
        tlsParty.get(), tlsKey, chain.get(0), chain.get(1), signingKey, signing.get(0));
  }

  /**
   * Writes the four files into {@code partyDir}, creating it.
   *
   * @throws FileAlreadyExistsException if any of the files exists; nothing is written then:
   *     replacing credentials silently would orphan what was signed or configured with them
   */
  public void writeTo(Path partyDir) throws IOException {
    Objects.requireNonNull(partyDir, "partyDir");
    Files.createDirectories(partyDir);
    for (String name : FILES) {
      if (Files.exists(partyDir.resolve(name))) {
        throw new FileAlreadyExistsException(
            partyDir.resolve(name).toString(), null,
            "credentials exist here already; they are left as is");
      }
    }
    Pem.writePrivateKey(partyDir.resolve(TLS_KEY_FILE), tlsKey);
    Pem.writeCertificates(partyDir.resolve(TLS_CERT_FILE), tlsCertificateChain());
    signingKey.writeTo(partyDir.resolve(SIGNING_KEY_FILE));
    Pem.writeCertificates(partyDir.resolve(SIGNING_CERT_FILE), List.of(signingCertificate));
  }

  /** The party id the certificates name. */
  public String party() {
    return party;
  }

  /** The TLS private key (ECDSA P-256), e.g. for {@code GrpcSslContexts.forServer(key, chain)}. */
  public PrivateKey tlsKey() {
    return tlsKey;
  }

  public X509Certificate tlsCertificate() {
    return tlsCertificate;
  }

  /** The TLS certificate followed by the CA certificate, as sent to a TLS peer. */
  public List<X509Certificate> tlsCertificateChain() {
    return List.of(tlsCertificate, caCertificate);
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  public SigningKey signingKey() {
    return signingKey;
  }

  public X509Certificate signingCertificate() {
    return signingCertificate;
  }

  @Override
  public String toString() {
    return "PartyCredentials[" + party + ", signing key " + signingKey.keyId() + ", valid until "
        + tlsCertificate.getNotAfter().toInstant() + ", private keys redacted]";
  }
}
