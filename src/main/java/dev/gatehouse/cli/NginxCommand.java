package dev.gatehouse.cli;

import static dev.gatehouse.cli.GenerateSiteOptions.check;

import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.generate.Site;
import dev.gatehouse.nginx.CertificateObtainer;
import dev.gatehouse.nginx.NginxBinary;
import dev.gatehouse.nginx.NginxPaths;
import dev.gatehouse.nginx.NginxRollback;
import dev.gatehouse.nginx.NginxSetup;
import dev.gatehouse.nginx.RenewalInstaller;
import dev.gatehouse.nginx.RollbackPoint;
import dev.gatehouse.nginx.RollbackPoints;
import dev.gatehouse.nginx.SetupException;
import dev.gatehouse.nginx.SetupRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse nginx setup|rollback|points}: HTTPS for a site that keeps nginx, done and undone by
 * Gatehouse. Exit status 0 on success, 1 when a step failed (after restoring), 2 for a usage error.
 */
@Command(
    name = "nginx",
    mixinStandardHelpOptions = true,
    description = "Put an nginx site on HTTPS (setup), undo it (rollback), list what can be undone (points).",
    subcommands = {NginxCommand.Setup.class, NginxCommand.Rollback.class, NginxCommand.Points.class})
public final class NginxCommand implements Runnable {

  /** Exit status of a setup or rollback that failed (not a usage error). */
  public static final int EXIT_FAILED = 1;

  private final WebrootObtainerFactory obtainers;

  @Spec CommandSpec spec;

  /** Certificates from Gatehouse's ACME client, as {@code certs issue --webroot} gets them. */
  public NginxCommand() {
    this(AcmeWebrootObtainer::create);
  }

  /** @param obtainers where {@code setup} gets certificates from */
  NginxCommand(WebrootObtainerFactory obtainers) {
    this.obtainers = obtainers;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is needed: setup, rollback or points");
  }

  /** The nginx being managed, and where rollback points are kept. */
  static final class Paths {
    @Option(names = "--nginx-bin", paramLabel = "PATH", description = "The nginx executable (default: ${DEFAULT-VALUE}).")
    Path binary = NginxPaths.DEFAULT_BINARY;

    @Option(names = "--nginx-conf-dir", paramLabel = "DIR", description = "The directory of nginx.conf (default: ${DEFAULT-VALUE}).")
    Path confDir = NginxPaths.DEFAULT_CONF_DIR;

    @Option(names = "--sites-dir", paramLabel = "DIR", description = "Where nginx.conf includes sites from (default: ${DEFAULT-VALUE}).")
    Path sitesDir = NginxPaths.DEFAULT_SITES_DIR;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Rollback points and certificates (default: /var/lib/gatehouse as root).")
    Path stateDir;

    NginxPaths nginx() {
      return new NginxPaths(binary, confDir.toAbsolutePath().normalize(), sitesDir.toAbsolutePath().normalize());
    }

    Path state() {
      return (stateDir == null ? ServeConfig.defaultStateDir() : stateDir).toAbsolutePath().normalize();
    }
  }

  @Command(name = "setup", mixinStandardHelpOptions = true,
      description = "Back up, add the ACME webroot, get a certificate, write the HTTPS site, verify, install renewal.")
  static final class Setup implements Callable<Integer> {
    @ParentCommand NginxCommand parent;
    @Spec CommandSpec spec;
    @Mixin GenerateSiteOptions site;
    @Mixin Paths paths;

    @Option(names = "--webroot", paramLabel = "DIR", description = "Where ACME challenge files go (default: ${DEFAULT-VALUE}).")
    Path webroot = Site.DEFAULT_WEBROOT;

    @Mixin AcmeOptions acme = new AcmeOptions();

    @Option(names = "--dns-server", paramLabel = "HOST:PORT", description = "Check the names with this DNS server instead of the system's.")
    String dnsServer;

    @Option(names = "--no-dns-check", description = "Skip \"every name resolves to this host\" (a load balancer forwards here).")
    boolean noDnsCheck;

    @Option(names = "--renewal", paramLabel = "auto|systemd|cron|none", description = "How renewal is installed (default: ${DEFAULT-VALUE}).")
    String renewal = "auto";

    @Option(names = "--gatehouse-bin", paramLabel = "PATH", description = "The gatehouse command renewal runs (default: ${DEFAULT-VALUE}).")
    Path gatehouseBin = Path.of("/usr/local/bin/gatehouse");

    @Option(names = "--systemd-dir", paramLabel = "DIR", description = "Where the renewal units go (default: ${DEFAULT-VALUE}).")
    Path systemdDir = RenewalInstaller.Settings.DEFAULT_SYSTEMD_DIR;

    @Option(names = "--cron-dir", paramLabel = "DIR", description = "Where the renewal cron file goes (default: ${DEFAULT-VALUE}).")
    Path cronDir = RenewalInstaller.Settings.DEFAULT_CRON_DIR;

    @Override
    public Integer call() {
      Path state = paths.state();
      Site s = site.site(spec, webroot.toAbsolutePath().normalize(), state.resolve("live"));
      RenewalInstaller.Mode mode = check(spec, () -> RenewalInstaller.Mode.parse("--renewal", renewal));
      SetupRequest request = new SetupRequest(s, paths.nginx(), state, Optional.ofNullable(dnsServer), !noDnsCheck,
          s.bind().orElse("127.0.0.1"),
          new RenewalInstaller.Settings(mode, gatehouseBin.toAbsolutePath(), state, systemdDir.toAbsolutePath(),
              cronDir.toAbsolutePath()));
      check(spec, () -> acme.applyTo(AcmeSettings.DEFAULT));
      CertificateObtainer obtainer =
          check(spec, () -> parent.obtainers.create(spec.commandLine(), acme, state, request.nginx().reloadCommand()));
      PrintWriter out = spec.commandLine().getOut();
      try {
        new NginxSetup(request, obtainer, out, System.console() != null, Clock.systemUTC()).run();
        return 0;
      } catch (SetupException e) {
        spec.commandLine().getErr().println("gatehouse nginx setup: " + e.getMessage()
            + (e.restored().isEmpty() ? "; nothing was changed" : "; " + e.restored()));
        return EXIT_FAILED;
      }
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Restore the files of a rollback point (default: the last finished setup), nginx -t, reload.")
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Paths paths;

    @Parameters(paramLabel = "POINT", arity = "0..1", description = "A point id from `gatehouse nginx points`.")
    String pointId;

    @Override
    public Integer call() {
      try {
        return rollback();
      } catch (IOException e) {
        spec.commandLine().getErr().println("gatehouse nginx rollback: " + e.getMessage());
        return EXIT_FAILED;
      }
    }

    private int rollback() throws IOException {
      RollbackPoints points = new RollbackPoints(paths.state(), Clock.systemUTC());
      Optional<RollbackPoint> point = pointId == null ? points.latestApplied() : points.find(pointId);
      if (point.isEmpty()) {
        throw new ParameterException(spec.commandLine(), pointId == null
            ? "no finished setup to roll back in " + points.root() + " (see gatehouse nginx points)"
            : "POINT: '" + pointId + "' is not a rollback point in " + points.root() + " (see gatehouse nginx points)");
      }
      NginxRollback.Outcome outcome = new NginxRollback(new NginxBinary(paths.nginx())).restore(point.get());
      PrintWriter out = spec.commandLine().getOut();
      outcome.files().forEach(out::println);
      out.println("rollback point " + point.get().id() + ": " + outcome.summary());
      out.flush();
      return outcome.configValid() && outcome.reloaded() ? 0 : EXIT_FAILED;
    }
  }

  @Command(name = "points", mixinStandardHelpOptions = true, description = "List the rollback points, oldest first.")
  static final class Points implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Paths paths;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      RollbackPoints points = new RollbackPoints(paths.state(), Clock.systemUTC());
      List<RollbackPoint> all;
      try {
        all = points.list();
      } catch (IOException e) {
        spec.commandLine().getErr().println("gatehouse nginx points: cannot read " + points.root() + ": " + e.getMessage());
        return EXIT_FAILED;
      }
      if (all.isEmpty()) {
        out.println("no rollback points in " + points.root());
      }
      for (RollbackPoint p : all) {
        out.printf("%s  %-8s  %s  %s  (%d file(s))%n",
            p.id(), p.state(), p.created(), String.join(" ", p.names()), p.files().size());
      }
      out.flush();
      return 0;
    }
  }
}
