package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ServeConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
      "SIGHUP reloads the configuration and certificates and reopens the access log; SIGUSR1 only reopens the"
          + " access log; SIGTERM drains in-flight requests and stops."
    })
public final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  /**
   * Netty 4.2's allocator declares JFR event classes; loading the first one makes JDK 17 start its JFR
   * instrumentation (a class-file generator), about a quarter of a second of CPU before the first HTTPS
   * response on one core (issue 6). Off unless the user sets the property ({@code -Dio.netty.jfr.enabled=true}
   * brings Netty's events back into a recording).
   */
  static final String NETTY_JFR_PROPERTY = "io.netty.jfr.enabled";

  @Mixin ServeOptions options = new ServeOptions();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
      System.setProperty(NETTY_JFR_PROPERTY, "false");
    }
    ServeConfig config = parse();
    // Handlers first: a signal that arrives while certificates load must not take the JVM's default action
    // (SIGHUP would end the process). Until the server runs, TERM has nothing to drain; a HUP is remembered
    // and reloads once it runs, since the ports accept before start returns and a client (or a test) may
    // already have changed a file it expects the server to pick up.
    AtomicReference<RunningGatehouse> running = new AtomicReference<>();
    AtomicBoolean reloadAfterStart = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          RunningGatehouse r = running.getAndSet(null);
          if (r != null) {
            r.close();
          }
          stopped.countDown();
        };
    // Handling TERM and INT ourselves, rather than in a shutdown hook, lets a drained stop exit with 0 (a
    // hook runs inside the JVM's own exit with status 143, which service managers count as a failure).
    if (!(Signals.handle("TERM", stop) && Signals.handle("INT", stop))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "gatehouse-shutdown"));
    }
    Signals.handle(
        "HUP",
        () -> {
          synchronized (reloadAfterStart) {
            RunningGatehouse r = running.get();
            if (r == null) {
              reloadAfterStart.set(true);
              return;
            }
            reload(r);
          }
        });
    Signals.handle(
        "USR1",
        () -> {
          RunningGatehouse r = running.get();
          if (r != null) {
            r.reopenAccessLog();
          }
        });
    try {
      RunningGatehouse started = RunningGatehouse.start(config);
      synchronized (reloadAfterStart) {
        running.set(started);
        if (reloadAfterStart.getAndSet(false) && stopped.getCount() > 0) {
          reload(started);
        }
      }
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
    if (stopped.getCount() == 0) {
      stop.run();
    }
    stopped.await();
    return 0;
  }

  private ServeConfig parse() {
    try {
      if (options.logLevel != null) {
        LogSetup.level("--log-level", options.logLevel);
      }
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
