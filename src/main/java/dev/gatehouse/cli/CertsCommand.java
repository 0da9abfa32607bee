package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse certs}: certificates by hand, the certbot way (list, issue, renew, revoke). */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Certificates by hand, for nginx users and cron: list, issue, renew, revoke."
        + " serve needs none of this: it obtains and renews its certificates itself.",
    subcommands = {
      CertsListCommand.class,
      CertsIssueCommand.class,
      CertsRenewCommand.class,
      CertsRevokeCommand.class
    })
public final class CertsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is needed: list, issue, renew or revoke (see --help)");
  }
}
