package nl.schakel.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import nl.schakel.audit.AuditLog;
import nl.schakel.audit.FileAuditLog;
import nl.schakel.bench.synthetic.SyntheticFederation;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantSignatures;
import nl.schakel.covenant.CovenantSignaturesException;
import nl.schakel.covenant.CovenantValidationException;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.PartySignature;
import nl.schakel.covenant.SignedCovenant;
import nl.schakel.covenant.TamperedCovenantException;
import nl.schakel.gateway.Gateway;
import nl.schakel.gateway.GatewayConfig;
import nl.schakel.node.Node;
import nl.schakel.node.NodeConfig;
import nl.schakel.trust.pki.FederationCa;
import nl.schakel.trust.pki.PartyCredentials;
import nl.schakel.trust.pseudonym.PseudonymKey;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.token.DemoIssuerKey;

/**
 * A gateway and every node of a federation directory, started in this process on loopback: what
 * {@code schakel up} runs. It writes each component's config under {@code DIR/run/config/} and
 * starts the component from that file, so what runs is exactly what an operator can read.
 *
 * <p>A local federation plays every party, so it also holds every party's convenant signing key
 * ({@code DIR/run/keys/signing/}, public halves in {@code DIR/run/keys/party-keys/}) and signs each
 * convenant that has no {@code .sigs} file yet, saying so loudly: in a real federation each party
 * signs with its own key, and nobody holds another's.
 *
 * <p>It also runs the federation's CA ({@code DIR/run/pki/ca/}) and issues the gateway and every
 * node party their mTLS and signing credentials ({@code DIR/run/pki/<party>/}), certifying each
 * party's convenant signing key, so answers and convenant signatures come from one certified key.
 */
final class LocalFederation implements AutoCloseable {
  /** The demo issuer's name and the audience of analyst tokens in a local federation. */
  static final String AUDIENCE = "schakel";
  /** The party id of the gateway's certificates. */
  static final String GATEWAY = "gateway";
  /** How long the demo CA lives; its party certificates live as long. */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);

  private final Gateway gateway;
  private final AuditLog auditLog;
  private final List<Node> nodes;
  private final Path endpointsFile;

  private LocalFederation(Gateway gateway, AuditLog auditLog, List<Node> nodes, Path endpointsFile) {
    this.gateway = gateway;
    this.auditLog = auditLog;
    this.nodes = nodes;
    this.endpointsFile = endpointsFile;
  }

  static String issuer(String federation) {
    return "schakel-demo/" + federation;
  }

  static Path keysDir(Path dir) {
    return dir.resolve("run").resolve("keys");
  }

  /** Where the demo keeps every party's private convenant signing key. */
  static Path signingKeysDir(Path dir) {
    return keysDir(dir).resolve("signing");
  }

  /** The {@code party-keys} directory of the generated configs: every party's public signing key. */
  static Path partyKeysDir(Path dir) {
    return keysDir(dir).resolve("party-keys");
  }

  /**
   * The demo's PKI directory, laid out as {@code schakel pki} does: {@code ca/} and one directory
   * per party ({@code gateway} included).
   */
  static Path pkiDir(Path dir) {
    return dir.resolve("run").resolve("pki");
  }

  /**
   * Starts every node and the gateway of {@code dir}.
   *
   * @throws IOException with a message fit for the user when a convenant cannot be signed or a
   *     present {@code .sigs} file does not verify with this federation's keys, a component fails
   *     to start, or a key or data file is unusable
   */
  static LocalFederation start(Path dir, Clock clock, PrintStream out) throws Exception {
    return start(dir, clock, clock, out);
  }

  /**
   * As {@link #start(Path, Clock, PrintStream)}, with the CA and credentials made on first start
   * issued at {@code pkiClock}'s time. TLS handshakes check certificates against the real time,
   * gateway and nodes against {@code clock}; a test living on a fixed day issues early enough for
   * both. Analyst credentials are checked by the nodes against the real time, as the gateway's
   * token check (Vert.x) does: tokens are real-time artefacts even when the federation is not.
   */
  static LocalFederation start(Path dir, Clock clock, Clock pkiClock, PrintStream out) throws Exception {
    dir = dir.toAbsolutePath().normalize();
    FederationConfig fed = FederationConfig.load(dir);
    Path run = dir.resolve("run");
    Path keys = keysDir(dir);
    Path configs = run.resolve("config");
    Files.createDirectories(keys);
    Files.createDirectories(configs);
    Files.deleteIfExists(run.resolve("endpoints.json"));

    Path matchingKey = keyFile(keys.resolve("matching.key"));
    Path auditKey = keyFile(keys.resolve("audit.key"));
    DemoIssuerKey issuer = DemoIssuerKey.loadOrCreate(keys);
    signCovenantsAsEveryParty(dir, fed, out);
    issueMissingCredentials(dir, fed, pkiClock, out);
    generateMissingData(dir, fed, clock, out);

    List<String> askers = askingParties(dir, fed);
    List<Node> nodes = new ArrayList<>();
    Gateway gateway = null;
    AuditLog auditLog = null;
    try {
      for (FederationConfig.NodeSection n : fed.nodes()) {
        Path file = configs.resolve(n.party() + ".node.yaml");
        Files.writeString(file, nodeYaml(n, dir, configs, matchingKey, fed, askers, issuer), StandardCharsets.UTF_8);
        NodeConfig config = YamlConfigs.read(file, NodeConfig.class).resolveAgainst(configs);
        nodes.add(Node.start(config, clock, Clock.systemUTC()));
      }
      Path gatewayFile = configs.resolve("gateway.yaml");
      Files.writeString(gatewayFile, gatewayYaml(fed, dir, configs, nodes, matchingKey, auditKey, gatewayParties(dir, fed), issuer),
          StandardCharsets.UTF_8);
      GatewayConfig gatewayConfig = YamlConfigs.read(gatewayFile, GatewayConfig.class).resolveAgainst(configs);
      // Opened through the gateway (which adds its checkpoint signer, so receipts carry signed
      // checkpoints) and kept here, so the tour and its tests can show what the FG would see.
      // The gateway owns the log and closes it, also when it fails to start.
      AuditLog[] opened = new AuditLog[1];
      gateway = Gateway.start(gatewayConfig, clock, options -> {
        opened[0] = FileAuditLog.open(gatewayConfig.auditLog(), options);
        return opened[0];
      });
      auditLog = opened[0];
    } catch (Exception e) {
      nodes.forEach(Node::close);
      if (gateway != null) {
        gateway.close();
      }
      throw e;
    }
    Path endpoints = run.resolve("endpoints.json");
    writeEndpoints(endpoints, "http://127.0.0.1:" + gateway.port(), nodes);
    return new LocalFederation(gateway, auditLog, nodes, endpoints);
  }

  String gatewayUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  Map<String, String> nodeAddresses() {
    Map<String, String> map = new LinkedHashMap<>();
    nodes.forEach(n -> map.put(n.party(), n.address()));
    return map;
  }

  /**
   * The gateway's audit log, as it writes it: what an FG reads to see who asked what and what was
   * refused. Read-only use; the gateway appends and closes it.
   */
  AuditLog auditLog() {
    return auditLog;
  }

  /** Questions that reached any node, answered or not: proof that a refused question asked nobody. */
  long questionsReceivedByNodes() {
    return nodes.stream().mapToLong(Node::questionsReceived).sum();
  }

  /** Stops one node, as if it crashed: the gateway must report it unavailable, never no-hit. */
  void stopNode(String party) {
    nodes.stream().filter(n -> n.party().equals(party)).forEach(Node::close);
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(endpointsFile);
    } catch (IOException ignored) {
      // best effort: a stale endpoints file only misleads scripts until the next start
    }
    gateway.close();
    nodes.forEach(Node::close);
  }

  /**
   * Every party that may ask under some convenant of the federation (it has roles), in file order:
   * each node needs its analysts' issuer to verify the credentials questions carry.
   */
  private static List<String> askingParties(Path dir, FederationConfig fed) throws IOException {
    return covenantParties(dir, fed, true);
  }

  /**
   * Every party of some convenant of the federation, in file order: the gateway authenticates the
   * analysts and auditors of each, so that a party without roles is refused by the convenant (403,
   * logged) rather than turned away unknown, and its auditor can read the audit log.
   */
  private static List<String> gatewayParties(Path dir, FederationConfig fed) throws IOException {
    return covenantParties(dir, fed, false);
  }

  private static List<String> covenantParties(Path dir, FederationConfig fed, boolean askersOnly) throws IOException {
    List<String> askers = new ArrayList<>();
    for (Path c : fed.covenants()) {
      Covenant covenant;
      try {
        covenant = CovenantParser.parse(dir.resolve(c));
      } catch (CovenantValidationException e) {
        throw new IOException("convenant " + c + " is invalid: " + e.getMessage(), e);
      }
      covenant.parties().forEach((party, p) -> {
        if ((!askersOnly || !p.roles().isEmpty()) && !askers.contains(party)) {
          askers.add(party);
        }
      });
    }
    return askers;
  }

  private static Path keyFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      PseudonymKey.generate(new SecureRandom()).writeTo(file);
    }
    return file;
  }

  /**
   * The demo plays every party: each party of each convenant gets a signing key on first start,
   * and a convenant without a {@code .sigs} file is signed by all of them, with a warning. A
   * {@code .sigs} file that exists is never overwritten: it is verified against this federation's
   * keys, and when it does not verify the federation does not start (it was made with other keys,
   * or the text changed after signing).
   */
  private static void signCovenantsAsEveryParty(Path dir, FederationConfig fed, PrintStream out) throws IOException {
    Path signing = ownerOnlyDirectory(signingKeysDir(dir));
    Path partyKeys = Files.createDirectories(partyKeysDir(dir));
    List<Path> files = fed.covenants().stream().map(dir::resolve).toList();
    Map<Path, Covenant> covenants = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        covenants.put(file, CovenantParser.parse(file));
      } catch (CovenantValidationException e) {
        throw new IOException("convenant " + dir.relativize(file) + " is invalid: " + e.getMessage(), e);
      }
    }
    Map<String, SigningKey> keys = new LinkedHashMap<>();
    for (Covenant c : covenants.values()) {
      for (String party : c.parties().keySet()) {
        if (!keys.containsKey(party)) {
          keys.put(party, signingKey(signing, partyKeys, party));
        }
      }
    }
    PartyKeys verifying = PartyKeys.readDirectory(partyKeys);
    for (var e : covenants.entrySet()) {
      Path yaml = e.getKey();
      Covenant covenant = e.getValue();
      Path sigsFile = CovenantSignatures.sigsFileFor(yaml);
      if (Files.exists(sigsFile)) {
        verifyDemoSignatures(dir, yaml, sigsFile, verifying);
        continue;
      }
      CovenantSignatures sigs = CovenantSignatures.none(covenant);
      for (String party : covenant.parties().keySet()) {
        sigs = sigs.with(PartySignature.sign(covenant, party, keys.get(party)));
      }
      sigs.writeTo(sigsFile);
      out.printf("WARNING: signed convenant %s as all %d of its parties (%s), with demo keys in %s.%n"
              + "         The demo plays every party; in a real federation each party signs with its own key"
              + " ('schakel covenant sign') and nobody holds another's.%n",
          covenant.label(), covenant.parties().size(), dir.relativize(sigsFile), dir.relativize(signing));
    }
  }

  /** The party's demo signing key, created (0600) with its public key on first start. */
  private static SigningKey signingKey(Path signing, Path partyKeys, String party) throws IOException {
    Path file = signing.resolve(party + ".key.pem");
    SigningKey key;
    if (Files.exists(file)) {
      key = SigningKey.readPem(file);
    } else {
      key = SigningKey.generate(new SecureRandom());
      key.writeTo(file);
    }
    // The public half is derived data: rewritten when it does not match, so the two never drift apart.
    Path pub = partyKeys.resolve(PartyKeys.keyFileName(party));
    String pem = key.verifyingKey().toPem();
    if (!Files.exists(pub) || !Files.readString(pub, StandardCharsets.US_ASCII).equals(pem)) {
      Files.writeString(pub, pem, StandardCharsets.US_ASCII);
    }
    return key;
  }

  /**
   * The demo's federation CA, made on first start, and credentials for the gateway and every node
   * party where missing. A party's credentials certify its convenant signing key from {@code
   * run/keys/signing/} when there is one, so that convenant signatures and answer signatures are
   * made with one certified key. Nothing present is ever replaced: a new CA would orphan every
   * certificate of the old one.
   */
  private static void issueMissingCredentials(Path dir, FederationConfig fed, Clock pkiClock, PrintStream out)
      throws IOException {
    Path pki = pkiDir(dir);
    Path caDir = pki.resolve(PkiCommand.CA_DIR);
    SecureRandom random = new SecureRandom();
    FederationCa ca;
    if (Files.exists(caDir.resolve(FederationCa.CERT_FILE))) {
      ca = FederationCa.load(caDir, random);
    } else {
      ca = FederationCa.create(fed.federation(), pkiClock, CA_VALIDITY, random);
      ca.writeTo(caDir);
      out.printf("created the demo federation CA in %s (a production federation keeps its CA key offline)%n",
          dir.relativize(caDir));
    }
    List<String> parties = new ArrayList<>();
    parties.add(GATEWAY);
    fed.nodes().forEach(n -> parties.add(n.party()));
    for (String party : parties) {
      Path partyDir = pki.resolve(party);
      if (Files.exists(partyDir.resolve(PartyCredentials.TLS_CERT_FILE))) {
        continue;
      }
      Path keyFile = signingKeysDir(dir).resolve(party + ".key.pem");
      SigningKey key = Files.exists(keyFile) ? SigningKey.readPem(keyFile) : SigningKey.generate(random);
      // The demo's certificates live as long as its CA; `schakel pki issue` issues for a year.
      Duration validity = Duration.between(pkiClock.instant(), ca.certificate().getNotAfter().toInstant())
          .minusDays(1);
      if (validity.compareTo(Duration.ofDays(1)) < 0) {
        throw new IOException("the demo federation CA in " + dir.relativize(caDir) + " expires at "
            + ca.certificate().getNotAfter().toInstant() + "; delete " + dir.relativize(pki) + "/ to make a new one");
      }
      ca.issue(party, key, pkiClock, validity).writeTo(partyDir);
    }
  }

  private static void verifyDemoSignatures(Path dir, Path yaml, Path sigsFile, PartyKeys keys) throws IOException {
    String remedy = " To re-sign it with fresh demo keys, delete " + dir.relativize(sigsFile) + " and "
        + dir.relativize(dir.resolve("run")) + "/ and start again.";
    SignedCovenant signed;
    try {
      signed = SignedCovenant.load(yaml, keys);
    } catch (TamperedCovenantException e) {
      throw new IOException(e.getMessage() + remedy, e);
    } catch (CovenantSignaturesException | CovenantValidationException e) {
      throw new IOException(dir.relativize(sigsFile) + " cannot be used: " + e.getMessage() + remedy, e);
    }
    if (!signed.signatures().complete()) {
      throw new IOException(dir.relativize(sigsFile) + " does not verify with this federation's demo keys in "
          + dir.relativize(partyKeysDir(dir)) + " (" + signed.signatures().summary() + "): it was made with other keys."
          + remedy);
    }
  }

  /** A directory only its owner can enter, where the file system allows saying so. */
  private static Path ownerOnlyDirectory(Path path) throws IOException {
    Files.createDirectories(path);
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the key files themselves are still written owner-only.
    }
    return path;
  }

  private static void generateMissingData(Path dir, FederationConfig fed, Clock clock, PrintStream out)
      throws IOException {
    if (fed.synthetic().isEmpty()) {
      return;
    }
    FederationConfig.Synthetic s = fed.synthetic().get();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/Amsterdam"));
    SyntheticFederation generator = new SyntheticFederation(s.seed(), today, SyntheticFederation.demoProfiles());
    for (FederationConfig.NodeSection n : fed.nodes()) {
      Path csv = dir.resolve(n.source().csv());
      if (Files.exists(csv)) {
        continue;
      }
      Files.createDirectories(csv.getParent());
      Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
      long written = generator.write(n.party(), s.recordsPerNode(), tmp);
      Files.move(tmp, csv, StandardCopyOption.ATOMIC_MOVE);
      out.printf("generated %,d synthetic records for %s in %s%n", written, n.party(), dir.relativize(csv));
    }
  }

  private static final String PARTY_KEYS_COMMENT =
      "# Every party's public signing key (<party>.pub.pem): a convenant counts only when all its parties signed it.\n"
      + "# The demo made these keys itself, playing every party; the federation PKI will replace this directory.\n";

  private static String rel(Path from, Path to) {
    return from.relativize(to).toString();
  }

  private static String nodeYaml(FederationConfig.NodeSection n, Path dir, Path configs, Path matchingKey,
      FederationConfig fed, List<String> askers, DemoIssuerKey issuer) {
    return "# Generated by `schakel up` from " + rel(configs, dir.resolve("federation.yaml")) + "; edit that file instead.\n"
        + "# Node of party " + n.party() + ". Paths are relative to this file.\n"
        + "party: " + n.party() + "\n"
        + "federation: " + fed.federation() + "  # only the gateway log schakel/" + fed.federation() + "/gateway is witnessed\n"
        + "listen: {host: 127.0.0.1, port: " + n.port() + "}\n"
        + "source: {csv: " + rel(configs, dir.resolve(n.source().csv())) + "}\n"
        + "# The node's own audit log (every question received) and its witness state; this node alone uses it.\n"
        + "state-dir: " + rel(configs, dir.resolve("run").resolve("node-state").resolve(n.party())) + "\n"
        + "# Shared with the gateway: identifiers are matched as HMAC-SHA256 pseudonyms under this key.\n"
        + "matching-key: " + rel(configs, matchingKey) + "\n"
        + "covenants: [" + fed.covenants().stream().map(c -> rel(configs, dir.resolve(c))).collect(Collectors.joining(", ")) + "]\n"
        + PARTY_KEYS_COMMENT
        + "party-keys: " + rel(configs, partyKeysDir(dir)) + "\n"
        + "# A question is answered at most this long after it was issued (plus 5 s clock skew); its id is\n"
        + "# remembered that long, and questions issued before this node started are refused, against replays.\n"
        + "freshness: " + NodeConfig.DEFAULT_FRESHNESS + "\n"
        + "# Federation PKI: this party's TLS and signing credentials, the CA every peer must chain to, and the\n"
        + "# gateway's signing certificate. Only the gateway's client certificate is accepted over mTLS.\n"
        + "pki:\n"
        + "  credentials: " + rel(configs, pkiDir(dir).resolve(n.party())) + "\n"
        + "  ca: " + rel(configs, caCert(dir)) + "\n"
        + "  gateway-signing-cert: " + rel(configs, pkiDir(dir).resolve(GATEWAY).resolve(PartyCredentials.SIGNING_CERT_FILE)) + "\n"
        + revokedKeys(fed, dir, configs)
        + analystsYaml(fed, configs, askers, issuer);
  }

  /**
   * The {@code analysts:} section of nodes and gateway alike: per party, the issuer whose tokens
   * vouch for its analysts. Gateway and nodes each verify a credential with the issuer of the party
   * it claims, and no other.
   */
  private static String analystsYaml(FederationConfig fed, Path configs, List<String> parties, DemoIssuerKey issuer) {
    StringBuilder analysts = new StringBuilder()
        .append("# Per party, the issuer whose tokens vouch for its analysts: a token is verified only with the\n")
        .append("# issuer of the party it claims (org), by the gateway and again by each node (the asker's and a four-eyes\n")
        .append("# approver's credential). Demo: one local issuer for every party (schakel token); production: each\n")
        .append("# party's own OIDC issuer (keys: PEM files, or jwks: its JWK Set). A party not listed here cannot ask.\n")
        .append("analysts:\n");
    for (String party : parties) {
      analysts.append("  - {party: ").append(party).append(", issuer: ").append(issuer(fed.federation()))
          .append(", audience: ").append(AUDIENCE).append(", keys: [").append(rel(configs, issuer.publicKeyPem()))
          .append("]}\n");
    }
    return analysts.toString();
  }

  /** The {@code pki.revoked-keys} line, when federation.yaml names a denylist; else nothing. */
  private static String revokedKeys(FederationConfig fed, Path dir, Path configs) {
    return fed.revokedKeys()
        .map(f -> "  # Keys the federation no longer trusts, one key id per line; read at start.\n"
            + "  revoked-keys: " + rel(configs, dir.resolve(f)) + "\n")
        .orElse("");
  }

  private static Path caCert(Path dir) {
    return pkiDir(dir).resolve(PkiCommand.CA_DIR).resolve(FederationCa.CERT_FILE);
  }

  private static String gatewayYaml(FederationConfig fed, Path dir, Path configs, List<Node> nodes, Path matchingKey,
      Path auditKey, List<String> parties, DemoIssuerKey issuer) {
    StringBuilder y = new StringBuilder()
        .append("# Generated by `schakel up` from ").append(rel(configs, dir.resolve("federation.yaml")))
        .append("; edit that file instead. Paths are relative to this file.\n")
        .append("federation: ").append(fed.federation()).append('\n')
        .append("listen: {host: 127.0.0.1, port: ").append(fed.gateway().port()).append("}\n")
        .append("# Per node: a node slower than this is reported unavailable; the others still answer.\n")
        .append("deadline: ").append(fed.gateway().deadline()).append('\n')
        .append("nodes:\n");
    y.append("# signing-cert: the certificate of the key the node signs its answers with.\n");
    nodes.forEach(n -> y.append("  - {party: ").append(n.party()).append(", address: ").append(n.address())
        .append(", signing-cert: ")
        .append(rel(configs, pkiDir(dir).resolve(n.party()).resolve(PartyCredentials.SIGNING_CERT_FILE)))
        .append("}\n"));
    y.append("covenants: [")
        .append(fed.covenants().stream().map(c -> rel(configs, dir.resolve(c))).collect(Collectors.joining(", ")))
        .append("]\n")
        .append(PARTY_KEYS_COMMENT)
        .append("party-keys: ").append(rel(configs, partyKeysDir(dir))).append('\n')
        .append("matching-key: ").append(rel(configs, matchingKey)).append('\n')
        .append("# The gateway's alone: audit entries carry pseudonyms under this key, unlinkable to the nodes'.\n")
        .append("audit-key: ").append(rel(configs, auditKey)).append('\n')
        .append("audit-log: ").append(rel(configs, dir.resolve("run").resolve("audit"))).append('\n')
        .append(analystsYaml(fed, configs, parties, issuer))
        .append("# Federation PKI: the gateway's TLS client and signing credentials, and the CA every node must chain to.\n")
        .append("pki:\n")
        .append("  credentials: ").append(rel(configs, pkiDir(dir).resolve(GATEWAY))).append('\n')
        .append("  ca: ").append(rel(configs, caCert(dir))).append('\n')
        .append(revokedKeys(fed, dir, configs));
    return y.toString();
  }

  private static void writeEndpoints(Path file, String gatewayUrl, List<Node> nodes) throws IOException {
    StringBuilder json = new StringBuilder("{\"gateway\": \"").append(gatewayUrl).append("\", \"nodes\": {");
    for (int i = 0; i < nodes.size(); i++) {
      json.append(i == 0 ? "" : ", ").append('"').append(nodes.get(i).party()).append("\": \"")
          .append(nodes.get(i).address()).append('"');
    }
    json.append("}}\n");
    // Written last and atomically: a script that sees the file may rely on everything being ready.
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
