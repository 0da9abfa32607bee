package dev.gatehouse;

import dev.gatehouse.cli.GatehouseCommand;

/** The {@code gatehouse} command. */
public final class Main {
  private Main() {}

  /** One line per record: time, level, message (java.util.logging's default takes two). */
  static final String LOG_FORMAT = "%1$tF %1$tT %4$s %5$s%6$s%n";

  /** Netty's buffer leak detector; set before any Netty class loads, which reads it once. */
  static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
    }
    // Netty samples buffers for leaks by default, at a cost of several percent per proxied request (see
    // BENCHMARKS.md): off in production unless the user asks for it; the tests run it at "paranoid".
    if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
      System.setProperty(LEAK_DETECTION_PROPERTY, "disabled");
    }
    System.exit(GatehouseCommand.execute(args));
  }
}
