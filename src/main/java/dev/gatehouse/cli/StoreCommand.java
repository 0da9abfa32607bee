package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse store}: the storage that several servers of one site share. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "The shared PostgreSQL store of a site with several servers: copy a state dir or certbot's"
        + " /etc/letsencrypt into it, or back out.",
    subcommands = {StoreCopyCommand.class})
public final class StoreCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: copy (see --help)");
  }
}
