package nl.schakel.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import nl.schakel.trust.token.AnalystClaims;
import nl.schakel.trust.token.DemoIssuerKey;
import nl.schakel.trust.token.TokenMinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true,
    description = {"Print an analyst token signed by a local federation's demo issuer key.",
        "For demos and scripts only: in production analysts get tokens from their own party's OIDC issuer."})
final class TokenCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the federation directory (its run/keys holds the issuer key)")
  Path dir;

  @Option(names = "--party", required = true, description = "the analyst's party (claim org)")
  String party;

  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "a role of the analyst (repeatable)")
  List<String> roles;

  @Option(names = "--person", required = true, paramLabel = "NAME", description = "who the analyst is (claim sub)")
  String person;

  @Option(names = "--ttl", defaultValue = "PT5M", paramLabel = "DURATION", description = {
      "lifetime, ISO-8601 (default ${DEFAULT-VALUE}).",
      "Nodes refuse credentials living longer than PT5M (credential-too-long-lived): the token travels to them",
      "inside questions. A longer-lived token is only good for the gateway's own endpoints."})
  Duration ttl;

  @Override
  public Integer call() throws Exception {
    FederationConfig fed;
    try {
      fed = FederationConfig.load(dir);
    } catch (YamlConfigs.ConfigException e) {
      System.err.println(e.getMessage());
      return Exits.ERROR;
    }
    Path keys = LocalFederation.keysDir(dir);
    if (!Files.exists(keys.resolve("issuer.key.pem"))) {
      System.err.println("no issuer key in " + keys + ": start the federation once with `schakel up --dir " + dir + "`");
      return Exits.ERROR;
    }
    try {
      String token = new TokenMinter(DemoIssuerKey.loadOrCreate(keys), Clock.systemUTC()).mint(
          new AnalystClaims(LocalFederation.issuer(fed.federation()), LocalFederation.AUDIENCE, party, person, roles, ttl));
      System.out.println(token);
      return Exits.OK;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return Exits.ERROR;
    }
  }
}
