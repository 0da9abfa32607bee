package dev.gatehouse;

import dev.gatehouse.cli.GatehouseCommand;
import dev.gatehouse.cli.LogSetup;

/** The {@code gatehouse} command. */
public final class Main {
  private Main() {}

  /** Netty's buffer leak detector; set before any Netty class loads, which reads it once. */
  static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

  public static void main(String[] args) {
    LogSetup.install();
    // Netty samples buffers for leaks by default, at a cost of several percent per proxied request (see
    // BENCHMARKS.md): off in production unless the user asks for it; the tests run it at "paranoid".
    if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
      System.setProperty(LEAK_DETECTION_PROPERTY, "disabled");
    }
    System.exit(GatehouseCommand.execute(args));
  }
}
