package nl.schakel.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import nl.schakel.gateway.Gateway;
import nl.schakel.gateway.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run the gateway: the analysts' HTTP API in front of the partner nodes.")
final class GatewayCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "gateway.yaml")
  Path config;

  @Override
  public Integer call() throws Exception {
    GatewayConfig cfg;
    try {
      cfg = YamlConfigs.read(config, GatewayConfig.class).resolveAgainst(config.toAbsolutePath().getParent());
    } catch (YamlConfigs.ConfigException e) {
      System.err.println(e.getMessage());
      return Exits.ERROR;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(cfg, Clock.systemUTC());
    } catch (Exception e) {
      System.err.println("gateway did not start: " + e.getMessage());
      return Exits.ERROR;
    }
    System.out.printf("gateway listening on http://%s:%d%n", cfg.listen().host(), gateway.port());
    Running.untilInterrupted(gateway);
    return Exits.OK;
  }
}
