package nl.schakel.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import nl.schakel.node.Node;
import nl.schakel.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel node --config F} runs a node; {@code check} and {@code lookup} are the operator's
 * tools beside it, reading the same node.yaml without starting a server.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run a partner node: ingest its records and answer the gateway over gRPC.",
    subcommands = {NodeCheckCommand.class, NodeLookupCommand.class})
final class NodeCommand implements Callable<Integer> {
  // Not required here, so that `schakel node check --config F` does not ask for the parent's too.
  @Option(names = "--config", paramLabel = "FILE", description = "node.yaml")
  Optional<Path> config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (config.isEmpty()) {
      spec.commandLine().getErr().println("Missing required option: '--config=FILE' (or use a subcommand: check, lookup)");
      spec.commandLine().usage(spec.commandLine().getErr());
      return Exits.ERROR;
    }
    NodeConfig cfg;
    try {
      cfg = load(config.get());
    } catch (YamlConfigs.ConfigException e) {
      System.err.println(e.getMessage());
      return Exits.ERROR;
    }
    Node node;
    try {
      node = Node.start(cfg, Clock.systemUTC());
    } catch (Exception e) {
      // The messages say what is wrong and what to do; a stack trace would only hide them.
      System.err.println("node did not start: " + e.getMessage());
      return Exits.ERROR;
    }
    System.out.printf("node %s serving on %s with %,d records%n", node.party(), node.address(), node.records());
    node.metricsPort().ifPresent(port -> System.out.printf("metrics on http://%s:%d/metrics%n",
        cfg.metrics().orElseThrow().host(), port));
    Running.untilInterrupted(node);
    return Exits.OK;
  }

  /** node.yaml read and its paths resolved against its directory: the one way every node command reads it. */
  static NodeConfig load(Path file) throws YamlConfigs.ConfigException {
    return YamlConfigs.read(file, NodeConfig.class).resolveAgainst(file.toAbsolutePath().getParent());
  }
}
