package dev.gatehouse.cli;

import dev.gatehouse.acme.IssuanceProgress;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Where the {@code certs} commands write: results on standard output, errors on standard error, and progress
 * (each name, each challenge, the wait for validation) on standard error only when it is a terminal, so
 * scripts and cron mails get the results alone.
 */
final class CertsConsole {

  private final PrintWriter out;
  private final PrintWriter err;
  private final String command;
  private final boolean terminal;

  CertsConsole(CommandLine cl) {
    this.out = cl.getOut();
    this.err = cl.getErr();
    this.command = "gatehouse " + cl.getCommandSpec().qualifiedName(" ").replaceFirst("^gatehouse ", "");
    this.terminal = System.console() != null;
  }

  /** One result line on standard output. */
  void result(String line) {
    out.println(line);
    out.flush();
  }

  /** One error line on standard error, prefixed with the command. */
  void error(String line) {
    err.println(command + ": " + line);
    err.flush();
  }

  /** Progress lines, shown on a terminal only. */
  IssuanceProgress progress() {
    if (!terminal) {
      return IssuanceProgress.SILENT;
    }
    return line -> {
      err.println("  " + line);
      err.flush();
    };
  }
}
