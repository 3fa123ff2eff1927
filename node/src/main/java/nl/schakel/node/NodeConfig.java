package nl.schakel.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's configuration, read from {@code node.yaml}. Paths are resolved against the directory
 * of the file they come from, so a config can be moved together with its data.
 *
 * <pre>
 * party: politie
 * listen: {host: 127.0.0.1, port: 9101}
 * source: {csv: data/politie.csv}       # or jdbc: {...}; optional refresh: PT15M
 * matching-key: run/keys/matching.key
 * covenants: [covenants/zvo-midden.v3.yaml]
 * party-keys: keys/party-keys            # every party's public signing key
 * cell-key: run/keys/politie.cell.key   # optional
 * state-dir: run/state/politie           # the node's own audit log and witness state
 * pki:
 *   credentials: run/pki/politie          # this party's tls.*.pem and signing.*.pem
 *   ca: run/pki/ca/ca.cert.pem            # the federation CA certificate: the only anchor
 *   gateway-signing-cert: run/pki/gateway/signing.cert.pem
 *   revoked-keys: run/revoked-keys.txt    # optional denylist of key ids, one per line
 * analysts:                               # who vouches for each asking party's analysts
 *   - {party: zvh, issuer: schakel-demo/midden, audience: schakel, keys: [run/keys/issuer.pub.pem]}
 * </pre>
 *
 * <p>{@code freshness} (optional, default {@code PT30S}, at most {@code PT5M}): how long after its
 * issue instant a question is answered, plus {@link Freshness#CLOCK_SKEW} for clocks that differ.
 * Question ids are remembered for that long to refuse replays.
 *
 * <p>{@code pki} is required: a node speaks only mTLS, accepts only a client certificate of party
 * {@code gateway} from the federation CA, and trusts only the gateway signing key that {@code
 * gateway-signing-cert} certifies (checked against the CA at start).
 *
 * <p>{@code party-keys} is a directory of {@code <party>.pub.pem} files (and {@code
 * <party>.2.pub.pem} during a key rotation), read with {@link
 * nl.schakel.covenant.PartyKeys#readDirectory}. A convenant is held only when every party it names
 * has signed it with one of these keys. The federation PKI will replace this directory (signing
 * keys certified by the federation CA); until then the operator distributes the files.
 *
 * <p>{@code cell-key} is this node's own secret for cell-key perturbation of counts. Default: the
 * file {@code cell.key} beside the matching key. Created (mode 0600) on first start when missing;
 * it must stay the same across restarts, or repeated questions would get fresh noise. It is never
 * shared with the gateway; nodes of one demo machine may share the default file.
 *
 * <p>{@code analysts}: per asking party, the credential issuer whose tokens vouch for that party's
 * analysts: {@code [{party: zvh, issuer: ISS, audience: AUD, keys: [issuer.pub.pem], jwks: FILE}]}
 * ({@code keys} PEM files and/or one {@code jwks} file; at least one key). A question is answered
 * only when it carries a credential the node verified itself against the issuer of the asking
 * party, so list every party that may ask under the node's convenants. A party without an entry
 * (and so every party, when the list is empty) is refused as {@code credential-unverifiable}.
 *
 * @param partyKeys the directory of the parties' public signing keys
 * @param cellKey where the cell-key secret lives; empty for the default
 * <p>{@code state-dir} (required): a directory this node alone owns, created when absent. It holds
 * the node's own audit log ({@code audit-log/}: one entry per question received, see {@link
 * NodeLog}) and its record as a witness of the gateway's log ({@code witness/}, see {@link
 * Witness}). Losing it loses the node's evidence and lets a gateway roll its log back unnoticed
 * once: back it up like the records.
 *
 * @param analysts the credential issuer of each asking party; empty refuses every question
 * @param stateDir the directory of the node's audit log and witness state
 * @param identifierForms {@code identifier-forms}: the forms this node answers for, exactly; empty
 *     derives them from the records (docs/decisions.md D3)
 * @param metrics {@code metrics}: where the Prometheus endpoint listens; empty for none
 * @param burst {@code burst} (optional, default more than 50 distinct subjects within PT10M): when
 *     the node's log flags an analyst's questions as a burst of distinct subjects
 * @param federation {@code federation} (optional, the gateway's {@code federation} name): the node
 *     witnesses only the log {@code schakel/<federation>/gateway}. Empty pins whichever gateway log
 *     it cosigns first, which lets a gateway show different federations' logs to different nodes.
 */
public record NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
    Path partyKeys, Optional<Path> cellKey, Pki pki, Duration freshness, List<Analysts> analysts, Path stateDir,
    Optional<DeclaredForms> identifierForms, Optional<Metrics> metrics, Burst burst, Optional<String> federation) {

  /** How long after its issue instant a question is answered, unless the config says otherwise. */
  public static final Duration DEFAULT_FRESHNESS = Duration.ofSeconds(30);
  /** Analyst tokens travelling along live at most this long, so a question cannot either. */
  static final Duration MAX_FRESHNESS = Duration.ofMinutes(5);

  public NodeConfig {
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(matchingKey, "matching-key");
    covenants = List.copyOf(covenants);
    Objects.requireNonNull(partyKeys, "party-keys");
    Objects.requireNonNull(cellKey, "cell-key");
    Objects.requireNonNull(pki, "pki");
    Objects.requireNonNull(freshness, "freshness");
    analysts = List.copyOf(analysts);
    Objects.requireNonNull(stateDir, "state-dir");
    Objects.requireNonNull(identifierForms, "identifier-forms");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(burst, "burst");
    Objects.requireNonNull(federation, "federation");
    if (federation.isPresent() && !Witness.FEDERATION_NAME.matcher(federation.get()).matches()) {
      throw new IllegalArgumentException("federation must match " + Witness.FEDERATION_NAME.pattern()
          + " (the gateway's federation name), found '" + Witness.printable(federation.get()) + "'");
    }
    if (freshness.compareTo(Duration.ofSeconds(1)) < 0 || freshness.compareTo(MAX_FRESHNESS) > 0) {
      throw new IllegalArgumentException("freshness must be between PT1S and " + MAX_FRESHNESS + ", found " + freshness);
    }
  }

  /** A config that pins the gateway's log on first contact (no {@code federation}). */
  public NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
      Path partyKeys, Optional<Path> cellKey, Pki pki, Duration freshness, List<Analysts> analysts, Path stateDir,
      Optional<DeclaredForms> identifierForms, Optional<Metrics> metrics, Burst burst) {
    this(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts, stateDir,
        identifierForms, metrics, burst, Optional.empty());
  }

  /** The same config witnessing only the log of federation {@code name} ({@code federation}). */
  public NodeConfig withFederation(String name) {
    return new NodeConfig(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts,
        stateDir, identifierForms, metrics, burst, Optional.of(name));
  }

  /** A config deriving its identifier forms from its records (decision D3), without a metrics endpoint. */
  public NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
      Path partyKeys, Optional<Path> cellKey, Pki pki, Duration freshness, List<Analysts> analysts, Path stateDir) {
    this(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts, stateDir,
        Optional.empty(), Optional.empty(), Burst.DEFAULT);
  }

  /** The same config declaring exactly these identifier forms ({@code identifier-forms}). */
  public NodeConfig withIdentifierForms(DeclaredForms forms) {
    return new NodeConfig(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts,
        stateDir, Optional.of(forms), metrics, burst, federation);
  }

  /** The same config serving metrics as {@code metrics} says. */
  public NodeConfig withMetrics(Metrics endpoint) {
    return new NodeConfig(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts,
        stateDir, identifierForms, Optional.of(endpoint), burst, federation);
  }

  /** The same config flagging bursts as {@code b} says. */
  public NodeConfig withBurst(Burst b) {
    return new NodeConfig(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts,
        stateDir, identifierForms, metrics, b, federation);
  }

  /** A config without analyst issuers: it starts, but refuses every question (credential-unverifiable). */
  public NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
      Path partyKeys, Optional<Path> cellKey, Pki pki, Duration freshness) {
    this(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, List.of());
  }

  /** The same config with these analyst issuers. */
  public NodeConfig withAnalysts(List<Analysts> issuers) {
    return new NodeConfig(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, issuers,
        stateDir, identifierForms, metrics, burst, federation);
  }

  /**
   * A config whose state directory is {@code node-state/<party>} beside the matching key: for nodes
   * embedded in code (tests of other modules); node.yaml must name {@code state-dir}.
   */
  public NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
      Path partyKeys, Optional<Path> cellKey, Pki pki, Duration freshness, List<Analysts> analysts) {
    this(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts,
        matchingKey.resolveSibling("node-state").resolve(party));
  }

  /** The same config with this state directory. */
  public NodeConfig withStateDir(Path dir) {
    return new NodeConfig(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, analysts,
        dir, identifierForms, metrics, burst, federation);
  }

  /** A config with the default freshness window. */
  public NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
      Path partyKeys, Optional<Path> cellKey, Pki pki) {
    this(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, DEFAULT_FRESHNESS);
  }

  /** A config with the default cell-key file. */
  public NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
      Path partyKeys, Pki pki) {
    this(party, listen, source, matchingKey, covenants, partyKeys, Optional.empty(), pki);
  }

  /**
   * This node's place in the federation PKI.
   *
   * @param credentials the party directory written by {@code schakel pki issue}: TLS key and
   *     certificate chain, signing key and signing certificate
   * @param ca the federation CA certificate every peer certificate must chain to
   * @param gatewaySigningCert the gateway's signing certificate: questions must carry its signature
   * @param revokedKeys optional denylist file ({@code revoked-keys}): one 16-hex key id per line,
   *     {@code #} comments; certificates for these keys are refused, at start and per connection
   */
  public record Pki(Path credentials, Path ca, Path gatewaySigningCert, Optional<Path> revokedKeys) {
    public Pki(Path credentials, Path ca, Path gatewaySigningCert) {
      this(credentials, ca, gatewaySigningCert, Optional.empty());
    }

    public Pki {
      Objects.requireNonNull(credentials, "pki.credentials");
      Objects.requireNonNull(ca, "pki.ca");
      Objects.requireNonNull(gatewaySigningCert, "pki.gateway-signing-cert");
      Objects.requireNonNull(revokedKeys, "pki.revoked-keys");
    }

    @JsonCreator
    static Pki fromYaml(@JsonProperty(value = "credentials", required = true) Path credentials,
        @JsonProperty(value = "ca", required = true) Path ca,
        @JsonProperty(value = "gateway-signing-cert", required = true) Path gatewaySigningCert,
        @JsonProperty(value = "revoked-keys") Path revokedKeys) {
      return new Pki(credentials, ca, gatewaySigningCert, Optional.ofNullable(revokedKeys));
    }

    Pki resolveAgainst(Path base) {
      return new Pki(base.resolve(credentials), base.resolve(ca), base.resolve(gatewaySigningCert),
          revokedKeys.map(base::resolve));
    }
  }

  /**
   * When the node's log flags an analyst's questions ({@code burst: {distinct-subjects: 50, window:
   * PT10M}}): more than {@code distinctSubjects} distinct subjects asked about within {@code window}
   * marks the entry {@code burst-distinct-subjects} and logs a WARN. It never refuses.
   */
  public record Burst(int distinctSubjects, Duration window) {
    public static final Burst DEFAULT = new Burst(BurstWatch.DEFAULT_DISTINCT_SUBJECTS, BurstWatch.DEFAULT_WINDOW);

    public Burst {
      Objects.requireNonNull(window, "burst.window");
      if (distinctSubjects < 1) {
        throw new IllegalArgumentException("burst.distinct-subjects must be at least 1, found " + distinctSubjects);
      }
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("burst.window must be between PT1S and P1D, found " + window);
      }
    }

    @JsonCreator
    static Burst fromYaml(@JsonProperty("distinct-subjects") Integer distinctSubjects,
        @JsonProperty("window") Duration window) {
      return new Burst(distinctSubjects == null ? DEFAULT.distinctSubjects() : distinctSubjects,
          window == null ? DEFAULT.window() : window);
    }
  }

  /** The cell-key file in use: the configured one, or {@code cell.key} beside the matching key. */
  public Path cellKeyFile() {
    return cellKey.orElseGet(() -> matchingKey.resolveSibling("cell.key"));
  }

  /**
   * The credential issuer of one asking party: tokens with {@code org} = {@code party} must be
   * issued by {@code issuer} for {@code audience} and signed by one of its keys.
   *
   * @param keys "PUBLIC KEY" PEM files (Ed25519, EC P-256 or RSA)
   * @param jwks a JWK Set file (a saved copy of the issuer's {@code jwks_uri}); empty for none
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

  /** Where the gRPC server listens. Port 0 picks a free port. */
  public record Listen(String host, int port) {
    @JsonCreator
    public Listen(@JsonProperty(value = "host") String host, @JsonProperty(value = "port", required = true) int port) {
      this.host = host == null ? "127.0.0.1" : host;
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("listen.port must be 0..65535, found " + port);
      }
      this.port = port;
    }
  }

  /**
   * The node's Prometheus endpoint ({@code metrics: {host: 127.0.0.1, port: 9201}}), plain HTTP
   * {@code GET /metrics}. Loopback only unless {@code allow-remote: true}: metrics hold no
   * identifier, but record counts and question rates are the partner's business, and the endpoint
   * has no authentication of its own. Port 0 picks a free port.
   */
  public record Metrics(String host, int port, boolean allowRemote) {
    public Metrics {
      Objects.requireNonNull(host, "metrics.host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("metrics.port must be 0..65535, found " + port);
      }
      if (!allowRemote && !isLoopback(host)) {
        throw new IllegalArgumentException("metrics.host must be a loopback address (127.0.0.1, ::1, localhost),"
            + " found " + host + ": the endpoint has no authentication; set metrics.allow-remote: true to serve it"
            + " beyond this machine, behind your own firewall or proxy");
      }
    }

    @JsonCreator
    static Metrics fromYaml(@JsonProperty("host") String host, @JsonProperty(value = "port", required = true) int port,
        @JsonProperty("allow-remote") Boolean allowRemote) {
      return new Metrics(host == null ? "127.0.0.1" : host, port, allowRemote != null && allowRemote);
    }

    /** Literal loopback addresses and {@code localhost} only: a name is not resolved here. */
    static boolean isLoopback(String host) {
      String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (h.equals("localhost")) {
        return true;
      }
      if (h.matches("[0-9.]+") || h.contains(":")) {
        try {
          return java.net.InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
          return false;
        }
      }
      return false;
    }
  }

  /**
   * Where the records come from: exactly one of a CSV file ({@code csv: PATH}) or the partner's
   * database ({@code jdbc: {...}}), and how often to read it again ({@code refresh: PT15M}; absent:
   * read once at start). A refresh builds a new index beside the old one and swaps it in, so
   * answers never wait for it; a failed refresh keeps the old index.
   */
  public record Source(Origin origin, Optional<Duration> refresh) {
    /** More often than this, a refresh of a national-scale source would never rest. */
    public static final Duration MIN_REFRESH = Duration.ofMinutes(1);

    public Source {
      Objects.requireNonNull(origin, "source");
      Objects.requireNonNull(refresh, "source.refresh");
      if (refresh.isPresent() && refresh.get().compareTo(MIN_REFRESH) < 0) {
        throw new IllegalArgumentException("source.refresh must be at least " + MIN_REFRESH + ", found " + refresh.get());
      }
    }

    /** A CSV file read once at start. */
    public Source(Path csv) {
      this(new Csv(csv), Optional.empty());
    }

    @JsonCreator
    static Source fromYaml(@JsonProperty("csv") Path csv, @JsonProperty("jdbc") Jdbc jdbc,
        @JsonProperty("refresh") Duration refresh) {
      if ((csv == null) == (jdbc == null)) {
        throw new IllegalArgumentException("source needs exactly one of csv: PATH or jdbc: {url, query, ...}, found "
            + (csv == null ? "neither" : "both"));
      }
      return new Source(csv != null ? new Csv(csv) : jdbc, Optional.ofNullable(refresh));
    }

    Source resolveAgainst(Path base) {
      Origin resolved = origin instanceof Csv c ? new Csv(base.resolve(c.file())) : ((Jdbc) origin).resolveAgainst(base);
      return new Source(resolved, refresh);
    }

    /** The kinds of source: a closed set, so the node's wiring handles each. */
    public sealed interface Origin permits Csv, Jdbc {}

    /** A UTF-8 CSV file with the header {@code subject_type,identifier,category,date,area}. */
    public record Csv(Path file) implements Origin {
      public Csv {
        Objects.requireNonNull(file, "source.csv");
      }
    }

    /**
     * The partner's database, read with one read-only query returning the columns {@code
     * subject_type, identifier, category, date, area}. PostgreSQL is built in; any other database
     * needs its JDBC driver jar in {@code drivers}.
     *
     * @param user the database role; empty for the driver's default
     * @param password where the password lives (environment variable or file), never the password
     * @param drivers a directory of JDBC driver jars; empty for the built-in PostgreSQL driver only
     * @param fetchSize rows per round trip: the result set is streamed, never held whole
     * @param queryTimeout how long the query may run before the refresh is given up
     */
    public record Jdbc(String url, Optional<String> user, Optional<DatabasePassword> password, String query,
        Optional<Path> drivers, int fetchSize, Duration queryTimeout) implements Origin {
      public static final int DEFAULT_FETCH_SIZE = 1000;
      public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(10);

      public Jdbc {
        Objects.requireNonNull(url, "source.jdbc.url");
        Objects.requireNonNull(user, "source.jdbc.user");
        Objects.requireNonNull(password, "source.jdbc.password");
        Objects.requireNonNull(query, "source.jdbc.query");
        Objects.requireNonNull(drivers, "source.jdbc.drivers");
        Objects.requireNonNull(queryTimeout, "source.jdbc.query-timeout");
        if (!url.startsWith("jdbc:")) {
          throw new IllegalArgumentException("source.jdbc.url must start with jdbc:, found " + JdbcUrls.redacted(url));
        }
        if (query.isBlank()) {
          throw new IllegalArgumentException("source.jdbc.query must be a SELECT returning " + RecordRows.COLUMNS);
        }
        if (fetchSize < 1 || fetchSize > 100_000) {
          throw new IllegalArgumentException("source.jdbc.fetch-size must be 1..100000, found " + fetchSize);
        }
        if (queryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
          throw new IllegalArgumentException("source.jdbc.query-timeout must be at least PT1S, found " + queryTimeout);
        }
      }

      /** A source with the default fetch size and query time-out. */
      public Jdbc(String url, Optional<String> user, Optional<DatabasePassword> password, String query,
          Optional<Path> drivers) {
        this(url, user, password, query, drivers, DEFAULT_FETCH_SIZE, DEFAULT_QUERY_TIMEOUT);
      }

      @JsonCreator
      static Jdbc fromYaml(@JsonProperty(value = "url", required = true) String url,
          @JsonProperty("user") String user,
          @JsonProperty("password") String password,
          @JsonProperty("password-env") String passwordEnv,
          @JsonProperty("password-file") Path passwordFile,
          @JsonProperty(value = "query", required = true) String query,
          @JsonProperty("drivers") Path drivers,
          @JsonProperty("fetch-size") Integer fetchSize,
          @JsonProperty("query-timeout") Duration queryTimeout) {
        if (password != null) {
          // Never echoed: the value is a secret that should not have been written here at all.
          throw new IllegalArgumentException("source.jdbc.password is not allowed in node.yaml, where it would be"
              + " read by anyone who reads the config: use password-env: VARIABLE or password-file: PATH");
        }
        if (passwordEnv != null && passwordFile != null) {
          throw new IllegalArgumentException("source.jdbc needs at most one of password-env and password-file, found both");
        }
        Optional<DatabasePassword> secret = passwordEnv != null
            ? Optional.of(new DatabasePassword.FromEnvironment(passwordEnv))
            : Optional.ofNullable(passwordFile).map(DatabasePassword.FromFile::new);
        return new Jdbc(url, Optional.ofNullable(user), secret, query, Optional.ofNullable(drivers),
            fetchSize == null ? DEFAULT_FETCH_SIZE : fetchSize,
            queryTimeout == null ? DEFAULT_QUERY_TIMEOUT : queryTimeout);
      }

      Jdbc resolveAgainst(Path base) {
        Optional<DatabasePassword> resolved = password.map(p -> p instanceof DatabasePassword.FromFile f
            ? new DatabasePassword.FromFile(base.resolve(f.file())) : p);
        return new Jdbc(url, user, resolved, query, drivers.map(base::resolve), fetchSize, queryTimeout);
      }

      /** Without the URL's parameters, which may carry a password. */
      @Override
      public String toString() {
        return "Jdbc[url=" + JdbcUrls.redacted(url) + ", user=" + user.orElse("(default)") + ", password="
            + password.map(Object::toString).orElse("(none)") + ", drivers=" + drivers.map(Path::toString).orElse("(none)")
            + ", fetchSize=" + fetchSize + ", queryTimeout=" + queryTimeout + "]";
      }
    }
  }

  @JsonCreator
  static NodeConfig fromYaml(
      @JsonProperty(value = "party", required = true) String party,
      @JsonProperty(value = "listen", required = true) Listen listen,
      @JsonProperty(value = "source", required = true) Source source,
      @JsonProperty(value = "matching-key", required = true) Path matchingKey,
      @JsonProperty(value = "covenants") List<Path> covenants,
      @JsonProperty(value = "party-keys", required = true) Path partyKeys,
      @JsonProperty(value = "cell-key") Path cellKey,
      @JsonProperty(value = "pki", required = true) Pki pki,
      @JsonProperty(value = "freshness") Duration freshness,
      @JsonProperty(value = "analysts") List<Analysts> analysts,
      @JsonProperty(value = "state-dir", required = true) Path stateDir,
      @JsonProperty(value = "identifier-forms") DeclaredForms identifierForms,
      @JsonProperty(value = "metrics") Metrics metrics,
      @JsonProperty(value = "burst") Burst burst,
      @JsonProperty(value = "federation") String federation) {
    return new NodeConfig(party, listen, source, matchingKey, covenants == null ? List.of() : covenants,
        partyKeys, Optional.ofNullable(cellKey), pki, freshness == null ? DEFAULT_FRESHNESS : freshness,
        analysts == null ? List.of() : analysts, stateDir, Optional.ofNullable(identifierForms),
        Optional.ofNullable(metrics), burst == null ? Burst.DEFAULT : burst, Optional.ofNullable(federation));
  }

  /** The same config with relative paths resolved against {@code base}, the config file's directory. */
  public NodeConfig resolveAgainst(Path base) {
    return new NodeConfig(
        party,
        listen,
        source.resolveAgainst(base),
        base.resolve(matchingKey),
        covenants.stream().map(base::resolve).toList(),
        base.resolve(partyKeys),
        cellKey.map(base::resolve),
        pki.resolveAgainst(base),
        freshness,
        analysts.stream().map(a -> a.resolveAgainst(base)).toList(),
        base.resolve(stateDir),
        identifierForms,
        metrics,
        burst,
        federation);
  }
}
