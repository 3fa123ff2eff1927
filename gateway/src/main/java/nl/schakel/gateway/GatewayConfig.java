package nl.schakel.gateway;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's configuration, read from {@code gateway.yaml}. Paths are relative to the file.
 *
 * <pre>
 * federation: midden
 * listen: {host: 127.0.0.1, port: 8080}
 * deadline: PT2S                        # per node; a slower node is reported unavailable
 * nodes:
 *   - {party: politie, address: 127.0.0.1:9101, signing-cert: run/pki/politie/signing.cert.pem}
 * covenants: [covenants/zvo-midden.v3.yaml]
 * party-keys: run/keys/party-keys       # every party's public signing key: <party>.pub.pem
 * matching-key: run/keys/matching.key   # shared with the nodes
 * audit-key: run/keys/audit.key         # the gateway's alone
 * audit-log: run/audit                 # the embedded file store; or, for several replicas:
 * # audit-postgres: {url: jdbc:postgresql://db/schakel, user: gateway, password-env: SCHAKEL_DB_PASSWORD}
 * state-dir: run/state                 # optional: budgets and pending approvals; default a
 *                                       # directory "state" beside the audit-log directory
 * analysts:                             # who vouches for each asking party's analysts
 *   - {party: zvh, issuer: schakel-demo/midden, audience: schakel, keys: [run/keys/issuer.pub.pem]}
 * sequential-identifiers: {threshold: 5, window: PT1H, action: flag}   # optional; or action: refuse
 * witness-interval: PT1S              # optional: how often the nodes are asked to cosign the log
 * pki:
 *   credentials: run/pki/gateway          # the gateway's tls.*.pem and signing.*.pem
 *   ca: run/pki/ca/ca.cert.pem            # the federation CA certificate: the only anchor
 *   revoked-keys: run/revoked-keys.txt    # optional denylist of key ids, one per line
 * </pre>
 *
 * <p>{@code pki} is required: the gateway reaches nodes only over mTLS with its own certificate
 * (party {@code gateway}), accepts a node only if its certificate names the party it is configured
 * for, and signs questions with its certified signing key. A node's optional {@code signing-cert}
 * is the certificate of the key its answers are signed with, checked against the CA at start.
 *
 * <p>{@code analysts}: per asking party, the credential issuer whose tokens vouch for that party's
 * analysts, in the node's shape ({@code party, issuer, audience, keys: [PEM files], jwks: FILE};
 * at least one key), so one section serves both. A bearer token is verified only with the issuer
 * of the party its {@code org} claim names: another party's issuer cannot vouch for it. A party
 * without an entry cannot ask.
 *
 * <p>{@code party-keys} is a directory of {@code <party>.pub.pem} files (and {@code
 * <party>.2.pub.pem} during a key rotation), read with {@link
 * nl.schakel.covenant.PartyKeys#readDirectory}: a convenant is loaded only when every party it
 * names has signed it with one of these keys. The federation PKI will replace this directory.
 */
public record GatewayConfig(
    String federation,
    Listen listen,
    Duration deadline,
    List<NodeEndpoint> nodes,
    List<Path> covenants,
    Path partyKeys,
    Path matchingKey,
    Path auditKey,
    Path auditLog,
    List<Analysts> analysts,
    Path stateDir,
    Pki pki,
    Duration witnessInterval,
    Optional<AuditPostgres> auditPostgres,
    SequentialIdentifiers sequentialIdentifiers) {

  /** How often the nodes are asked to cosign the newest checkpoint, unless configured. */
  static final Duration DEFAULT_WITNESS_INTERVAL = Duration.ofSeconds(1);

  /** A node's deadline may not exceed this: an analyst waits for the slowest node. */
  static final Duration MAX_DEADLINE = Duration.ofSeconds(30);

  public GatewayConfig {
    Objects.requireNonNull(federation, "federation");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
      throw new IllegalArgumentException("deadline must be between PT0.001S and " + MAX_DEADLINE + ", found " + deadline);
    }
    nodes = List.copyOf(nodes);
    if (nodes.stream().map(NodeEndpoint::party).distinct().count() != nodes.size()) {
      throw new IllegalArgumentException("nodes: each party may have only one node");
    }
    covenants = List.copyOf(covenants);
    if (covenants.isEmpty()) {
      throw new IllegalArgumentException("covenants: at least one convenant file is needed");
    }
    Objects.requireNonNull(partyKeys, "party-keys");
    Objects.requireNonNull(matchingKey, "matching-key");
    Objects.requireNonNull(auditKey, "audit-key");
    Objects.requireNonNull(auditLog, "audit-log");
    analysts = List.copyOf(analysts);
    if (analysts.stream().map(Analysts::party).distinct().count() != analysts.size()) {
      throw new IllegalArgumentException("analysts: each party may have only one issuer");
    }
    Objects.requireNonNull(stateDir, "state-dir");
    Objects.requireNonNull(pki, "pki");
    Objects.requireNonNull(witnessInterval, "witness-interval");
    if (witnessInterval.toMillis() < 1) {
      throw new IllegalArgumentException("witness-interval must be at least PT0.001S, found " + witnessInterval);
    }
    Objects.requireNonNull(auditPostgres, "audit-postgres");
    Objects.requireNonNull(sequentialIdentifiers, "sequential-identifiers");
  }

  /** A config with the default watch for sequential identifiers. */
  public GatewayConfig(String federation, Listen listen, Duration deadline, List<NodeEndpoint> nodes,
      List<Path> covenants, Path partyKeys, Path matchingKey, Path auditKey, Path auditLog, List<Analysts> analysts,
      Path stateDir, Pki pki, Duration witnessInterval, Optional<AuditPostgres> auditPostgres) {
    this(federation, listen, deadline, nodes, covenants, partyKeys, matchingKey, auditKey, auditLog, analysts, stateDir,
        pki, witnessInterval, auditPostgres, SequentialIdentifiers.DEFAULTS);
  }

  /**
   * What the gateway does when an analyst asks identifiers close in number to each other
   * (decision D19): {@code threshold} distinct BSNs, BAG ids or KvK numbers of one neighbourhood
   * within {@code window} make a question sequential; {@code action} {@code flag} marks its audit
   * entries, {@code refuse} refuses it.
   */
  public record SequentialIdentifiers(int threshold, Duration window, String action) {
    static final SequentialIdentifiers DEFAULTS = new SequentialIdentifiers(5, Duration.ofHours(1), "flag");

    public SequentialIdentifiers {
      Objects.requireNonNull(window, "sequential-identifiers.window");
      if (!"flag".equals(action) && !"refuse".equals(action)) {
        throw new IllegalArgumentException("sequential-identifiers.action must be flag or refuse, found '"
            + String.valueOf(action).replaceAll("[^ -~]", "?") + "'");
      }
      settings(threshold, window, action); // validates threshold and window
    }

    @JsonCreator
    static SequentialIdentifiers fromYaml(@JsonProperty("threshold") Integer threshold,
        @JsonProperty("window") Duration window, @JsonProperty("action") String action) {
      return new SequentialIdentifiers(threshold == null ? DEFAULTS.threshold : threshold,
          window == null ? DEFAULTS.window : window, action == null ? DEFAULTS.action : action);
    }

    SequenceWatch.Settings settings() {
      return settings(threshold, window, action);
    }

    private static SequenceWatch.Settings settings(int threshold, Duration window, String action) {
      return new SequenceWatch.Settings(threshold, window,
          "refuse".equals(action) ? SequenceWatch.Action.REFUSE : SequenceWatch.Action.FLAG);
    }
  }

  /** A config with the file audit log in {@code auditLog}. */
  public GatewayConfig(String federation, Listen listen, Duration deadline, List<NodeEndpoint> nodes,
      List<Path> covenants, Path partyKeys, Path matchingKey, Path auditKey, Path auditLog, List<Analysts> analysts,
      Path stateDir, Pki pki, Duration witnessInterval) {
    this(federation, listen, deadline, nodes, covenants, partyKeys, matchingKey, auditKey, auditLog, analysts, stateDir,
        pki, witnessInterval, Optional.empty());
  }

  /**
   * The production audit store shared by several gateway replicas (decision D18): a PostgreSQL
   * database reached with {@code url} as {@code user}, the password read at start from the
   * environment variable {@code passwordEnv} or the file {@code passwordFile} (never from the
   * config itself, never logged), tables named after {@code logName}.
   */
  public record AuditPostgres(String url, String user, Optional<String> passwordEnv, Optional<Path> passwordFile,
      String logName) {
    public AuditPostgres {
      Objects.requireNonNull(url, "audit-postgres.url");
      Objects.requireNonNull(user, "audit-postgres.user");
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("audit-postgres.url must start with jdbc:postgresql:");
      }
      if (url.contains("password=")) {
        throw new IllegalArgumentException(
            "audit-postgres.url must not hold a password; use password-env or password-file");
      }
      if (passwordEnv.isPresent() == passwordFile.isPresent()) {
        throw new IllegalArgumentException("audit-postgres: give exactly one of password-env or password-file");
      }
      if (!logName.matches("[a-z][a-z0-9_]{0,40}")) {
        throw new IllegalArgumentException("audit-postgres.log-name must be a lower-case SQL name, found '"
            + logName.replaceAll("[^ -~]", "?") + "'");
      }
    }

    @JsonCreator
    static AuditPostgres fromYaml(@JsonProperty(value = "url", required = true) String url,
        @JsonProperty(value = "user", required = true) String user,
        @JsonProperty(value = "password-env") String passwordEnv,
        @JsonProperty(value = "password-file") Path passwordFile,
        @JsonProperty(value = "log-name") String logName) {
      return new AuditPostgres(url, user, Optional.ofNullable(passwordEnv), Optional.ofNullable(passwordFile),
          logName == null ? "schakel_audit" : logName);
    }

    /** Reads the password from where the config says; the message names the source, never the value. */
    String password(java.util.function.Function<String, String> env) throws java.io.IOException {
      if (passwordEnv.isPresent()) {
        String value = env.apply(passwordEnv.get());
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException("audit-postgres.password-env: environment variable "
              + passwordEnv.get() + " is not set");
        }
        return value;
      }
      return java.nio.file.Files.readString(passwordFile.get()).strip();
    }

    @Override
    public String toString() {
      return "AuditPostgres[" + url.replaceAll("\\?.*$", "") + " as " + user + ", " + logName + "]";
    }
  }

  /** A config with the default witness interval. */
  public GatewayConfig(String federation, Listen listen, Duration deadline, List<NodeEndpoint> nodes,
      List<Path> covenants, Path partyKeys, Path matchingKey, Path auditKey, Path auditLog, List<Analysts> analysts,
      Path stateDir, Pki pki) {
    this(federation, listen, deadline, nodes, covenants, partyKeys, matchingKey, auditKey, auditLog, analysts, stateDir,
        pki, DEFAULT_WITNESS_INTERVAL);
  }

  /** The same config asking the nodes to cosign every {@code interval}. */
  public GatewayConfig withWitnessInterval(Duration interval) {
    return new GatewayConfig(federation, listen, deadline, nodes, covenants, partyKeys, matchingKey, auditKey, auditLog,
        analysts, stateDir, pki, interval, auditPostgres, sequentialIdentifiers);
  }

  /** The same config logging to PostgreSQL instead of the file store. */
  public GatewayConfig withAuditPostgres(AuditPostgres store) {
    return new GatewayConfig(federation, listen, deadline, nodes, covenants, partyKeys, matchingKey, auditKey, auditLog,
        analysts, stateDir, pki, witnessInterval, Optional.of(store), sequentialIdentifiers);
  }

  /** A config whose admission state lives in {@code state} beside the audit-log directory. */
  public GatewayConfig(String federation, Listen listen, Duration deadline, List<NodeEndpoint> nodes,
      List<Path> covenants, Path partyKeys, Path matchingKey, Path auditKey, Path auditLog, List<Analysts> analysts,
      Pki pki) {
    this(federation, listen, deadline, nodes, covenants, partyKeys, matchingKey, auditKey, auditLog, analysts,
        defaultStateDir(auditLog), pki);
  }

  private static Path defaultStateDir(Path auditLog) {
    return Objects.requireNonNull(auditLog, "audit-log").resolveSibling("state");
  }

  @JsonCreator
  static GatewayConfig fromYaml(
      @JsonProperty(value = "federation", required = true) String federation,
      @JsonProperty(value = "listen", required = true) Listen listen,
      @JsonProperty(value = "deadline") Duration deadline,
      @JsonProperty(value = "nodes", required = true) List<NodeEndpoint> nodes,
      @JsonProperty(value = "covenants", required = true) List<Path> covenants,
      @JsonProperty(value = "party-keys", required = true) Path partyKeys,
      @JsonProperty(value = "matching-key", required = true) Path matchingKey,
      @JsonProperty(value = "audit-key", required = true) Path auditKey,
      @JsonProperty(value = "audit-log") Path auditLog,
      @JsonProperty(value = "audit-postgres") AuditPostgres auditPostgres,
      @JsonProperty(value = "analysts", required = true) List<Analysts> analysts,
      @JsonProperty(value = "state-dir") Path stateDir,
      @JsonProperty(value = "pki", required = true) Pki pki,
      @JsonProperty(value = "witness-interval") Duration witnessInterval,
      @JsonProperty(value = "sequential-identifiers") SequentialIdentifiers sequentialIdentifiers) {
    if ((auditLog == null) == (auditPostgres == null)) {
      throw new IllegalArgumentException("give exactly one of audit-log (a directory: the embedded file store) or"
          + " audit-postgres (the PostgreSQL store for several replicas)");
    }
    if (auditPostgres != null && stateDir == null) {
      throw new IllegalArgumentException("state-dir is required with audit-postgres (it defaults to a directory"
          + " beside audit-log only for the file store)");
    }
    Path state = stateDir == null ? defaultStateDir(auditLog) : stateDir;
    // With PostgreSQL, audit-log names no store; it is kept as a path inside state-dir, never opened.
    Path log = auditLog == null ? state.resolve("audit-log-unused") : auditLog;
    return new GatewayConfig(federation, listen, deadline == null ? Duration.ofSeconds(2) : deadline, nodes,
        covenants, partyKeys, matchingKey, auditKey, log, analysts, state,
        pki, witnessInterval == null ? DEFAULT_WITNESS_INTERVAL : witnessInterval, Optional.ofNullable(auditPostgres),
        sequentialIdentifiers == null ? SequentialIdentifiers.DEFAULTS : sequentialIdentifiers);
  }

  /** The same config with relative paths resolved against {@code base}, the config file's directory. */
  public GatewayConfig resolveAgainst(Path base) {
    return new GatewayConfig(federation, listen, deadline,
        nodes.stream().map(n -> new NodeEndpoint(n.party, n.address, n.signingCert.map(base::resolve))).toList(),
        covenants.stream().map(base::resolve).toList(),
        base.resolve(partyKeys),
        base.resolve(matchingKey), base.resolve(auditKey), base.resolve(auditLog),
        analysts.stream().map(a -> a.resolveAgainst(base)).toList(),
        base.resolve(stateDir),
        new Pki(base.resolve(pki.credentials), base.resolve(pki.ca), pki.revokedKeys.map(base::resolve)), witnessInterval,
        auditPostgres.map(p -> new AuditPostgres(p.url(), p.user(), p.passwordEnv(), p.passwordFile().map(base::resolve),
            p.logName())), sequentialIdentifiers);
  }

  /**
   * The gateway's place in the federation PKI.
   *
   * @param credentials the gateway's party directory ({@code schakel pki issue gateway})
   * @param ca the federation CA certificate every node certificate must chain to
   * @param revokedKeys optional denylist file ({@code revoked-keys}): one 16-hex key id per line,
   *     {@code #} comments; certificates for these keys are refused
   */
  public record Pki(Path credentials, Path ca, Optional<Path> revokedKeys) {
    public Pki(Path credentials, Path ca) {
      this(credentials, ca, Optional.empty());
    }

    public Pki {
      Objects.requireNonNull(credentials, "pki.credentials");
      Objects.requireNonNull(ca, "pki.ca");
      Objects.requireNonNull(revokedKeys, "pki.revoked-keys");
    }

    @JsonCreator
    static Pki fromYaml(@JsonProperty(value = "credentials", required = true) Path credentials,
        @JsonProperty(value = "ca", required = true) Path ca,
        @JsonProperty(value = "revoked-keys") Path revokedKeys) {
      return new Pki(credentials, ca, Optional.ofNullable(revokedKeys));
    }
  }

  public record Listen(String host, int port) {
    @JsonCreator
    public Listen(@JsonProperty("host") String host, @JsonProperty(value = "port", required = true) int port) {
      this.host = host == null ? "127.0.0.1" : host;
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("listen.port must be 0..65535, found " + port);
      }
      this.port = port;
    }
  }

  /**
   * Where a party's node answers, as host:port, and optionally the certificate of the key it signs
   * answers with.
   */
  public record NodeEndpoint(String party, String address, Optional<Path> signingCert) {
    public NodeEndpoint(String party, String address) {
      this(party, address, Optional.empty());
    }

    @JsonCreator
    static NodeEndpoint fromYaml(@JsonProperty(value = "party", required = true) String party,
        @JsonProperty(value = "address", required = true) String address,
        @JsonProperty(value = "signing-cert") Path signingCert) {
      return new NodeEndpoint(party, address, Optional.ofNullable(signingCert));
    }

    public NodeEndpoint {
      Objects.requireNonNull(party, "nodes[].party");
      Objects.requireNonNull(address, "nodes[].address");
      Objects.requireNonNull(signingCert, "nodes[].signing-cert");
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || !address.substring(colon + 1).matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException("nodes[" + party + "].address must be host:port, found '" + address + "'");
      }
    }
  }

  /**
   * The credential issuer of one asking party, in the node's {@code analysts:} shape: its name, the
   * audience its tokens must name, and its public keys as PEM files and/or one JWKS file.
   */
  public record Analysts(String party, String issuer, String audience, List<Path> keys, Optional<Path> jwks) {
    public Analysts {
      Objects.requireNonNull(party, "analysts.party");
      Objects.requireNonNull(issuer, "analysts.issuer");
      Objects.requireNonNull(audience, "analysts.audience");
      keys = List.copyOf(keys);
      Objects.requireNonNull(jwks, "analysts.jwks");
      if (keys.isEmpty() && jwks.isEmpty()) {
        throw new IllegalArgumentException("analysts of party " + party + " need keys (PEM files) or jwks, found neither");
      }
    }

    @JsonCreator
    static Analysts fromYaml(@JsonProperty(value = "party", required = true) String party,
        @JsonProperty(value = "issuer", required = true) String issuer,
        @JsonProperty(value = "audience", required = true) String audience,
        @JsonProperty(value = "keys") List<Path> keys,
        @JsonProperty(value = "jwks") Path jwks) {
      return new Analysts(party, issuer, audience, keys == null ? List.of() : keys, Optional.ofNullable(jwks));
    }

    Analysts resolveAgainst(Path base) {
      return new Analysts(party, issuer, audience, keys.stream().map(base::resolve).toList(), jwks.map(base::resolve));
    }
  }
}
