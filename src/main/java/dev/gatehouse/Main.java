package dev.gatehouse;

import dev.gatehouse.cli.GatehouseCommand;

/** The {@code gatehouse} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(GatehouseCommand.commandLine().execute(args));
  }
}
