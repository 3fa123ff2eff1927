package nl.schakel.cli;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A whole local federation in one file, {@code DIR/federation.yaml}: the gateway, every node and
 * its source, the convenanten, and optionally how to generate synthetic data. Keys, generated
 * configs and state live under {@code DIR/run/}. Each convenant's signatures live beside it
 * ({@code covenants/x.sigs}); {@link LocalFederation} makes them, playing every party, when missing.
 *
 * <pre>
 * federation: midden
 * gateway: {port: 8080, deadline: PT2S}
 * covenants: [covenants/zvo-midden.v3.yaml]
 * synthetic: {seed: 20261129, records-per-node: 5000}   # generate data/PARTY.csv when missing
 * nodes:
 *   - {party: politie, port: 9101, source: {csv: data/politie.csv}}
 * revoked-keys: revoked-keys.txt   # optional denylist of key ids, honoured by gateway and every node
 * </pre>
 */
record FederationConfig(
    String federation, GatewaySection gateway, List<Path> covenants, Optional<Synthetic> synthetic,
    List<NodeSection> nodes, Optional<Path> revokedKeys) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  @JsonCreator
  FederationConfig(
      @JsonProperty(value = "federation", required = true) String federation,
      @JsonProperty(value = "gateway", required = true) GatewaySection gateway,
      @JsonProperty(value = "covenants", required = true) List<Path> covenants,
      @JsonProperty(value = "synthetic") Synthetic synthetic,
      @JsonProperty(value = "nodes", required = true) List<NodeSection> nodes,
      @JsonProperty(value = "revoked-keys") Path revokedKeys) {
    this(federation, gateway, covenants, Optional.ofNullable(synthetic), nodes, Optional.ofNullable(revokedKeys));
  }

  FederationConfig {
    if (federation == null || !NAME.matcher(federation).matches()) {
      throw new IllegalArgumentException("federation must match " + NAME.pattern());
    }
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(revokedKeys, "revoked-keys");
    covenants = List.copyOf(covenants);
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes: a federation needs at least one node");
    }
    if (nodes.stream().map(NodeSection::party).distinct().count() != nodes.size()) {
      throw new IllegalArgumentException("nodes: each party may appear only once");
    }
  }

  record GatewaySection(int port, Duration deadline) {
    @JsonCreator
    GatewaySection(@JsonProperty(value = "port", required = true) int port,
        @JsonProperty("deadline") Duration deadline) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("gateway.port must be 0..65535, found " + port);
      }
      this.port = port;
      this.deadline = deadline == null ? Duration.ofSeconds(2) : deadline;
    }
  }

  record Synthetic(long seed, long recordsPerNode) {
    @JsonCreator
    Synthetic(@JsonProperty(value = "seed", required = true) long seed,
        @JsonProperty(value = "records-per-node", required = true) long recordsPerNode) {
      if (recordsPerNode < 1 || recordsPerNode > 10_000_000) {
        throw new IllegalArgumentException("synthetic.records-per-node must be 1..10000000, found " + recordsPerNode);
      }
      this.seed = seed;
      this.recordsPerNode = recordsPerNode;
    }
  }

  record NodeSection(String party, int port, Source source) {
    @JsonCreator
    NodeSection(@JsonProperty(value = "party", required = true) String party,
        @JsonProperty(value = "port", required = true) int port,
        @JsonProperty(value = "source", required = true) Source source) {
      if (party == null || !NAME.matcher(party).matches()) {
        throw new IllegalArgumentException("nodes[].party must match " + NAME.pattern());
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("nodes[" + party + "].port must be 0..65535, found " + port);
      }
      this.party = party;
      this.port = port;
      this.source = Objects.requireNonNull(source, "nodes[" + party + "].source");
    }
  }

  record Source(Path csv) {
    @JsonCreator
    Source(@JsonProperty(value = "csv", required = true) Path csv) {
      this.csv = Objects.requireNonNull(csv, "source.csv");
    }
  }

  static FederationConfig load(Path dir) throws YamlConfigs.ConfigException {
    return YamlConfigs.read(dir.resolve("federation.yaml"), FederationConfig.class);
  }
}
