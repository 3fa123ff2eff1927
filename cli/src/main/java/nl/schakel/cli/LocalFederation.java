package nl.schakel.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import nl.schakel.bench.synthetic.SyntheticFederation;
import nl.schakel.gateway.Gateway;
import nl.schakel.gateway.GatewayConfig;
import nl.schakel.node.Node;
import nl.schakel.node.NodeConfig;
import nl.schakel.trust.pseudonym.PseudonymKey;
import nl.schakel.trust.token.DemoIssuerKey;

/**
 * A gateway and every node of a federation directory, started in this process on loopback: what
 * {@code schakel up} runs. It writes each component's config under {@code DIR/run/config/} and
 * starts the component from that file, so what runs is exactly what an operator can read.
 */
final class LocalFederation implements AutoCloseable {
  /** The demo issuer's name and the audience of analyst tokens in a local federation. */
  static final String AUDIENCE = "schakel";

  private final Gateway gateway;
  private final List<Node> nodes;
  private final Path endpointsFile;

  private LocalFederation(Gateway gateway, List<Node> nodes, Path endpointsFile) {
    this.gateway = gateway;
    this.nodes = nodes;
    this.endpointsFile = endpointsFile;
  }

  static String issuer(String federation) {
    return "schakel-demo/" + federation;
  }

  static Path keysDir(Path dir) {
    return dir.resolve("run").resolve("keys");
  }

  static LocalFederation start(Path dir, Clock clock, PrintStream out) throws Exception {
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
    generateMissingData(dir, fed, clock, out);

    List<Node> nodes = new ArrayList<>();
    Gateway gateway = null;
    try {
      for (FederationConfig.NodeSection n : fed.nodes()) {
        Path file = configs.resolve(n.party() + ".node.yaml");
        Files.writeString(file, nodeYaml(n, dir, configs, matchingKey, fed), StandardCharsets.UTF_8);
        NodeConfig config = YamlConfigs.read(file, NodeConfig.class).resolveAgainst(configs);
        nodes.add(Node.start(config, clock));
      }
      Path gatewayFile = configs.resolve("gateway.yaml");
      Files.writeString(gatewayFile, gatewayYaml(fed, dir, configs, nodes, matchingKey, auditKey, issuer),
          StandardCharsets.UTF_8);
      GatewayConfig gatewayConfig = YamlConfigs.read(gatewayFile, GatewayConfig.class).resolveAgainst(configs);
      gateway = Gateway.start(gatewayConfig, clock);
    } catch (Exception e) {
      nodes.forEach(Node::close);
      if (gateway != null) {
        gateway.close();
      }
      throw e;
    }
    Path endpoints = run.resolve("endpoints.json");
    writeEndpoints(endpoints, "http://127.0.0.1:" + gateway.port(), nodes);
    return new LocalFederation(gateway, nodes, endpoints);
  }

  String gatewayUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  Map<String, String> nodeAddresses() {
    Map<String, String> map = new LinkedHashMap<>();
    nodes.forEach(n -> map.put(n.party(), n.address()));
    return map;
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

  private static Path keyFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      PseudonymKey.generate(new SecureRandom()).writeTo(file);
    }
    return file;
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

  private static String rel(Path from, Path to) {
    return from.relativize(to).toString();
  }

  private static String nodeYaml(FederationConfig.NodeSection n, Path dir, Path configs, Path matchingKey,
      FederationConfig fed) {
    return "# Generated by `schakel up` from " + rel(configs, dir.resolve("federation.yaml")) + "; edit that file instead.\n"
        + "# Node of party " + n.party() + ". Paths are relative to this file.\n"
        + "party: " + n.party() + "\n"
        + "listen: {host: 127.0.0.1, port: " + n.port() + "}\n"
        + "source: {csv: " + rel(configs, dir.resolve(n.source().csv())) + "}\n"
        + "# Shared with the gateway: identifiers are matched as HMAC-SHA256 pseudonyms under this key.\n"
        + "matching-key: " + rel(configs, matchingKey) + "\n"
        + "covenants: [" + fed.covenants().stream().map(c -> rel(configs, dir.resolve(c))).collect(Collectors.joining(", ")) + "]\n";
  }

  private static String gatewayYaml(FederationConfig fed, Path dir, Path configs, List<Node> nodes, Path matchingKey,
      Path auditKey, DemoIssuerKey issuer) {
    StringBuilder y = new StringBuilder()
        .append("# Generated by `schakel up` from ").append(rel(configs, dir.resolve("federation.yaml")))
        .append("; edit that file instead. Paths are relative to this file.\n")
        .append("federation: ").append(fed.federation()).append('\n')
        .append("listen: {host: 127.0.0.1, port: ").append(fed.gateway().port()).append("}\n")
        .append("# Per node: a node slower than this is reported unavailable; the others still answer.\n")
        .append("deadline: ").append(fed.gateway().deadline()).append('\n')
        .append("nodes:\n");
    nodes.forEach(n -> y.append("  - {party: ").append(n.party()).append(", address: ").append(n.address()).append("}\n"));
    y.append("covenants: [")
        .append(fed.covenants().stream().map(c -> rel(configs, dir.resolve(c))).collect(Collectors.joining(", ")))
        .append("]\n")
        .append("matching-key: ").append(rel(configs, matchingKey)).append('\n')
        .append("# The gateway's alone: audit entries carry pseudonyms under this key, unlinkable to the nodes'.\n")
        .append("audit-key: ").append(rel(configs, auditKey)).append('\n')
        .append("audit-log: ").append(rel(configs, dir.resolve("run").resolve("audit"))).append('\n')
        .append("# Who may vouch for analysts. Demo: one local issuer key (schakel token); production: your OIDC issuer.\n")
        .append("analysts:\n")
        .append("  issuer: ").append(issuer(fed.federation())).append('\n')
        .append("  audience: ").append(AUDIENCE).append('\n')
        .append("  keys: [{algorithm: EdDSA, public-key: ").append(rel(configs, issuer.publicKeyPem())).append("}]\n");
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
