package nl.schakel.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start a whole local federation described by DIR/federation.yaml: every node and the gateway, on loopback.",
        "Generates keys (and synthetic data, if configured) on first start. Writes DIR/run/endpoints.json once ready.",
        "The demo plays every party: a convenant without a .sigs file is signed with every party's demo key"
            + " (DIR/run/keys/signing/), with a warning; a .sigs file that is present is verified, never overwritten."})
final class UpCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the federation directory")
  Path dir;

  @Override
  public Integer call() throws Exception {
    LocalFederation federation;
    try {
      federation = LocalFederation.start(dir, Clock.systemUTC(), System.out);
    } catch (YamlConfigs.ConfigException | IOException e) {
      // A convenant that cannot be signed or verified, or a component that cannot start: the
      // message says what and what to do; a stack trace would bury it.
      System.err.println(e.getMessage());
      return Exits.ERROR;
    }
    String url = federation.gatewayUrl();
    System.out.println();
    System.out.println("Schakel federation is up.");
    federation.nodeAddresses().forEach((party, address) -> System.out.printf("  node %-18s %s%n", party, address));
    System.out.println("  gateway                 " + url);
    System.out.println("  endpoints               " + dir.resolve("run/endpoints.json"));
    System.out.println("  federation CA           " + dir.resolve("run/pki/ca/ca.cert.pem")
        + "  (answers verify with GET /v1/partners)");
    System.out.println();
    System.out.println("Try it in another terminal, from the repository root:");
    System.out.println();
    System.out.println("  TOKEN=$(./schakel token --dir " + dir + " --party zvh --role procesregisseur --person p.jansen)");
    System.out.println("  ./schakel ask --gateway " + url + " --token \"$TOKEN\" \\");
    System.out.println("      --purpose zvh-casus --case ZVH-2026-00042 --bsn 999990019");
    System.out.println();
    System.out.println("  curl -s " + url + "/v1/queries -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
    System.out.println("      -d '{\"purpose\":\"zvh-casus\",\"caseReference\":\"ZVH-2026-00042\",\"subject\":{\"type\":\"person\",\"bsn\":\"999990019\"}}'");
    System.out.println();
    System.out.println("Stop with Ctrl-C.");
    Running.untilInterrupted(federation);
    return Exits.OK;
  }
}
