package nl.schakel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import nl.schakel.trust.pki.FederationCa;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.PartyCredentials;
import nl.schakel.trust.sign.SigningKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel pki init|issue}: the federation CA and each party's credentials, in one PKI
 * directory: {@code DIR/ca/} (ca.key.pem 0600, ca.cert.pem) and {@code DIR/<party>/}
 * (tls.key.pem 0600, tls.cert.pem, signing.key.pem 0600, signing.cert.pem). Nothing is ever
 * overwritten: a replaced CA or key would orphan everything issued or signed with the old one.
 */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = {
        "Create the federation CA and issue party credentials: an ECDSA P-256 TLS certificate for",
        "mTLS and a certificate for the party's Ed25519 signing key, both naming urn:schakel:party:<id>."},
    subcommands = {PkiCommand.Init.class, PkiCommand.Issue.class})
final class PkiCommand implements Runnable {
  static final String CA_DIR = "ca";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: init or issue");
  }

  // ----------------------------------------------------------------------------------- init

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Create the federation CA in DIR/ca. Refuses if a CA exists there.",
          "Verifiers trust DIR/ca/ca.cert.pem; keep DIR/ca/ca.key.pem offline where you can."})
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the PKI directory")
    Path dir;

    @Option(names = "--federation", defaultValue = "demo", paramLabel = "NAME",
        description = "the federation's name, in the CA's subject (default ${DEFAULT-VALUE})")
    String federation;

    @Option(names = "--validity", defaultValue = "P3650D", paramLabel = "DURATION",
        description = "how long the CA is valid, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration validity;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Path caDir = dir.resolve(CA_DIR);
      for (String name : List.of(FederationCa.KEY_FILE, FederationCa.CERT_FILE)) {
        if (Files.exists(caDir.resolve(name))) {
          err.println("not created: " + caDir.resolve(name) + " exists; a federation CA is never"
              + " replaced (every certificate it issued would stop verifying)");
          return Exits.ERROR;
        }
      }
      FederationCa ca;
      try {
        ca = FederationCa.create(federation, Clock.systemUTC(), validity, new SecureRandom());
      } catch (IllegalArgumentException e) {
        err.println("not created: " + e.getMessage());
        return Exits.ERROR;
      }
      try {
        ca.writeTo(caDir);
      } catch (FileAlreadyExistsException e) {
        err.println("not created: " + e.getFile() + " exists; a federation CA is never replaced");
        return Exits.ERROR;
      } catch (IOException e) {
        err.println("cannot write the CA to " + caDir + ": " + e.getMessage());
        return Exits.ERROR;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("created the CA of federation " + ca.federation() + " in " + caDir
          + ", valid until " + ca.certificate().getNotAfter().toInstant());
      out.println("  verifiers trust " + caDir.resolve(FederationCa.CERT_FILE));
      out.println("  " + caDir.resolve(FederationCa.KEY_FILE) + " is the CA's private key: owner-only, keep it offline");
      return Exits.OK;
    }
  }

  // ---------------------------------------------------------------------------------- issue

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = {"Issue a party's TLS and signing credentials into DIR/PARTY (or --out).",
          "Generates the Ed25519 signing key unless --signing-key names an existing one.",
          "The gateway's party id is 'gateway'. Refuses to overwrite existing credentials."})
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the PKI directory (holding ca/)")
    Path dir;

    @Option(names = "--party", required = true, paramLabel = "PARTY", description = "the party id, e.g. politie or gateway")
    String party;

    @Option(names = "--signing-key", paramLabel = "FILE",
        description = "the party's existing Ed25519 signing key (PKCS#8 PEM, e.g. from `schakel covenant keygen`);"
            + " it is copied into the party directory")
    Path signingKeyFile;

    @Option(names = "--validity", defaultValue = "P365D", paramLabel = "DURATION",
        description = "how long the certificates are valid, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration validity;

    @Option(names = "--host", paramLabel = "HOST",
        description = "a DNS name or IP address the party is reached at, besides localhost and 127.0.0.1 (repeatable)")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "where to write the credentials (default DIR/PARTY); use another directory to rotate keys")
    Path out;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Path caDir = dir.resolve(CA_DIR);
      if (!Files.exists(caDir.resolve(FederationCa.CERT_FILE))) {
        err.println("no federation CA in " + caDir + ": create one with `schakel pki init --dir " + dir + "`");
        return Exits.ERROR;
      }
      FederationCa ca;
      try {
        ca = FederationCa.load(caDir, new SecureRandom());
      } catch (IOException e) {
        err.println("cannot read the federation CA: " + e.getMessage());
        return Exits.ERROR;
      }
      SigningKey signingKey;
      try {
        signingKey = signingKeyFile == null
            ? SigningKey.generate(new SecureRandom())
            : SigningKey.readPem(signingKeyFile);
      } catch (IOException e) {
        err.println("cannot read the signing key: " + e.getMessage());
        return Exits.ERROR;
      }
      PartyCredentials credentials;
      try {
        credentials = ca.issue(party, signingKey, Clock.systemUTC(), validity, new LinkedHashSet<>(hosts));
      } catch (IllegalArgumentException e) {
        err.println("not issued: " + e.getMessage());
        return Exits.ERROR;
      }
      Path partyDir = out != null ? out : dir.resolve(party);
      try {
        credentials.writeTo(partyDir);
      } catch (FileAlreadyExistsException e) {
        err.println("not issued: " + e.getFile() + " exists; credentials are never replaced."
            + " To rotate, issue into another directory with --out");
        return Exits.ERROR;
      } catch (IOException e) {
        err.println("cannot write credentials to " + partyDir + ": " + e.getMessage());
        return Exits.ERROR;
      }
      PrintWriter stdout = spec.commandLine().getOut();
      X509Certificate signing = credentials.signingCertificate();
      X509Certificate tls = credentials.tlsCertificate();
      stdout.println("issued credentials for party " + party + " in " + partyDir);
      stdout.println("  signing key " + signingKey.keyId() + "  certified until " + signing.getNotAfter().toInstant()
          + (signingKeyFile == null ? "  (new key)" : "  (from " + signingKeyFile + ")"));
      stdout.println("  tls key     " + FederationTrust.keyIdOf(tls) + "  valid until " + tls.getNotAfter().toInstant());
      if (FederationTrust.expiresWithin(ca.certificate(), FederationTrust.RENEWAL_WARNING, Instant.now())) {
        err.println("warning: the federation CA expires at " + ca.certificate().getNotAfter().toInstant()
            + ", within " + FederationTrust.RENEWAL_WARNING.toDays() + " days; plan its renewal");
      }
      return Exits.OK;
    }
  }
}
