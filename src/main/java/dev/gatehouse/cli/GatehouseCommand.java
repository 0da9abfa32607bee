package dev.gatehouse.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level command: only subcommands, each in its own class. They are added when the command line is
 * made rather than listed in the annotation, so that {@link #execute} can leave out the ones a {@code serve}
 * does not need: picocli reflects over every option of every subcommand it is given, which took about a
 * fifth of the time from start to the first HTTPS response on one core (issue 6).
 */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "The HTTPS front door for a Django app: TLS proxy, ACME certificates, audit, nginx setup.")
public final class GatehouseCommand implements Runnable {

  /** Exit status for a usage error: a bad flag, file or value. */
  public static final int EXIT_USAGE = 2;

  /** Every subcommand, in the order {@code --help} lists them. */
  private static final List<Supplier<Object>> SUBCOMMANDS =
      List.of(
          ServeCommand::new,
          DevCommand::new,
          CertsCommand::new,
          AuditCommand::new,
          GenerateCommand::new,
          NginxCommand::new,
          CaCommand::new,
          StartupTrainingCommand::new,
          // A lambda, not a constructor reference: JDK 25 writing an AOT cache (bin/gatehouse) aborts when an
          // archived call site points straight at a class it cannot archive, as picocli's Java 5 classes.
          () -> new CommandLine.HelpCommand());

  /** The subcommand whose start-up time users wait for: a restart is downtime. */
  private static final String SERVE = "serve";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed (see --help)");
  }

  /**
   * Runs {@code args} and returns the exit status. {@code gatehouse serve ...} gets a command line with
   * only the serve subcommand, which parses, validates and reports errors exactly as the full one does.
   */
  public static int execute(String... args) {
    return commandLineFor(args).execute(args);
  }

  /** The command line {@link #execute} runs {@code args} with. */
  static CommandLine commandLineFor(String... args) {
    boolean serve = args.length > 0 && args[0].equals(SERVE);
    return commandLine(serve ? List.of(ServeCommand::new) : SUBCOMMANDS);
  }

  /**
   * The command line with every subcommand, usage errors printed as one line and mapped to {@value
   * #EXIT_USAGE}.
   */
  public static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS);
  }

  private static CommandLine commandLine(List<Supplier<Object>> subcommands) {
    CommandLine cl = new CommandLine(new GatehouseCommand());
    subcommands.forEach(subcommand -> cl.addSubcommand(subcommand.get()));
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
