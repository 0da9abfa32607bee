package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: only subcommands, each in its own class. */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "The HTTPS front door for a Django app: TLS proxy, ACME certificates, audit, nginx setup.",
    subcommands = {
      ServeCommand.class,
      CertsCommand.class,
      AuditCommand.class,
      GenerateCommand.class,
      NginxCommand.class,
      CaCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GatehouseCommand implements Runnable {

  /** Exit status for a usage error: a bad flag, file or value. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed (see --help)");
  }

  /**
   * The command line with every subcommand, usage errors printed as one line and mapped to {@value
   * #EXIT_USAGE}.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new GatehouseCommand());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          if (ex instanceof UsageException) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            return EXIT_USAGE;
          }
          throw ex;
        });
    return cl;
  }
}
