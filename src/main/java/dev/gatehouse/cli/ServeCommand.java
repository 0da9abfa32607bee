package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ServeConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gatehouse serve}: runs until SIGTERM/SIGINT (drains in-flight requests, bounded), reloads the
 * configuration and certificates on SIGHUP. A reload whose configuration is invalid is logged and the old
 * configuration keeps serving.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve DOMAIN... over HTTPS in front of Gunicorn or Uvicorn, with certificates obtained and renewed.",
      "SIGHUP reloads the configuration and certificates; SIGTERM drains in-flight requests and stops."
    })
public final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  @Mixin ServeOptions options = new ServeOptions();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ServeConfig config = parse();
    RunningGatehouse running;
    try {
      running = RunningGatehouse.start(config);
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          running.close();
          stopped.countDown();
        };
    // Handling TERM and INT ourselves, rather than in a shutdown hook, lets a drained stop exit with 0 (a
    // hook runs inside the JVM's own exit with status 143, which service managers count as a failure).
    if (!(Signals.handle("TERM", stop) && Signals.handle("INT", stop))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "gatehouse-shutdown"));
    }
    Signals.handle("HUP", () -> reload(running));
    stopped.await();
    return 0;
  }

  private ServeConfig parse() {
    try {
      return options.toConfig();
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** SIGHUP: re-read flags' file and certificates; anything invalid keeps the running configuration. */
  private void reload(RunningGatehouse running) {
    try {
      running.reload(options.toConfig());
    } catch (ConfigException e) {
      LOG.log(Level.SEVERE, "reload refused, still serving the previous configuration: " + e.getMessage());
    }
  }
}
