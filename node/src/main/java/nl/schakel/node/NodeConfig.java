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
 * source: {csv: data/politie.csv}
 * matching-key: run/keys/matching.key
 * covenants: [covenants/zvo-midden.v3.yaml]
 * party-keys: keys/party-keys            # every party's public signing key
 * cell-key: run/keys/politie.cell.key   # optional
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
 * @param analysts the credential issuer of each asking party; empty refuses every question
 */
public record NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
    Path partyKeys, Optional<Path> cellKey, Pki pki, Duration freshness, List<Analysts> analysts) {

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
    if (freshness.compareTo(Duration.ofSeconds(1)) < 0 || freshness.compareTo(MAX_FRESHNESS) > 0) {
      throw new IllegalArgumentException("freshness must be between PT1S and " + MAX_FRESHNESS + ", found " + freshness);
    }
  }

  /** A config without analyst issuers: it starts, but refuses every question (credential-unverifiable). */
  public NodeConfig(String party, Listen listen, Source source, Path matchingKey, List<Path> covenants,
      Path partyKeys, Optional<Path> cellKey, Pki pki, Duration freshness) {
    this(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, List.of());
  }

  /** The same config with these analyst issuers. */
  public NodeConfig withAnalysts(List<Analysts> issuers) {
    return new NodeConfig(party, listen, source, matchingKey, covenants, partyKeys, cellKey, pki, freshness, issuers);
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

  /** Where the records come from. Exactly one kind of source. */
  public record Source(Path csv) {
    @JsonCreator
    public Source(@JsonProperty(value = "csv", required = true) Path csv) {
      this.csv = Objects.requireNonNull(csv, "source.csv");
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
      @JsonProperty(value = "analysts") List<Analysts> analysts) {
    return new NodeConfig(party, listen, source, matchingKey, covenants == null ? List.of() : covenants,
        partyKeys, Optional.ofNullable(cellKey), pki, freshness == null ? DEFAULT_FRESHNESS : freshness,
        analysts == null ? List.of() : analysts);
  }

  /** The same config with relative paths resolved against {@code base}, the config file's directory. */
  public NodeConfig resolveAgainst(Path base) {
    return new NodeConfig(
        party,
        listen,
        new Source(base.resolve(source.csv)),
        base.resolve(matchingKey),
        covenants.stream().map(base::resolve).toList(),
        base.resolve(partyKeys),
        cellKey.map(base::resolve),
        pki.resolveAgainst(base),
        freshness,
        analysts.stream().map(a -> a.resolveAgainst(base)).toList());
  }
}
