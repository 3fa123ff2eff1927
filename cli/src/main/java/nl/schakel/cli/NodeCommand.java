package nl.schakel.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import nl.schakel.node.Node;
import nl.schakel.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run a partner node: ingest its records and answer the gateway over gRPC.")
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "node.yaml")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeConfig cfg;
    try {
      cfg = YamlConfigs.read(config, NodeConfig.class).resolveAgainst(config.toAbsolutePath().getParent());
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
    Running.untilInterrupted(node);
    return Exits.OK;
  }
}
