package dev.gatehouse;

import dev.gatehouse.cli.GatehouseCommand;

/** The {@code gatehouse} command. */
public final class Main {
  private Main() {}

  /** One line per record: time, level, message (java.util.logging's default takes two). */
  static final String LOG_FORMAT = "%1$tF %1$tT %4$s %5$s%6$s%n";

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
    }
    System.exit(GatehouseCommand.commandLine().execute(args));
  }
}
