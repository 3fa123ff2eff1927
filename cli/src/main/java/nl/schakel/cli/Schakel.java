package nl.schakel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code schakel} command. Each subcommand is its own class. */
@Command(
    name = "schakel",
    mixinStandardHelpOptions = true,
    version = "schakel 0.1.0",
    description = "Federated hit/no-hit questions between chain partners, within the convenant.",
    subcommands = {
        UpCommand.class,
        NodeCommand.class,
        GatewayCommand.class,
        TokenCommand.class,
        AskCommand.class,
        CovenantCommand.class,
        PkiCommand.class,
        AuditCommand.class,
        VerifyAnswerCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Schakel implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Schakel()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
