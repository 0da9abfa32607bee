package dev.gatehouse.cli;

import static dev.gatehouse.cli.GenerateSiteOptions.check;

import dev.gatehouse.config.Upstream;
import dev.gatehouse.generate.CaddyGenerator;
import dev.gatehouse.generate.DjangoSettingsGenerator;
import dev.gatehouse.generate.GunicornGenerator;
import dev.gatehouse.generate.NginxGenerator;
import dev.gatehouse.generate.NginxVersion;
import dev.gatehouse.generate.Site;
import dev.gatehouse.generate.SystemdGenerator;
import dev.gatehouse.generate.UvicornGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse generate nginx|caddy|django|gunicorn|uvicorn|systemd}: the configuration pieces of an
 * HTTPS Django deployment, for teams that apply them by hand. Each target is a small subcommand that turns
 * flags into a {@link dev.gatehouse.generate.Site} and hands it to its generator.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Print nginx, Caddy, Django, Gunicorn, Uvicorn or systemd configuration for a site.",
    subcommands = {
      GenerateCommand.Nginx.class,
      GenerateCommand.Caddy.class,
      GenerateCommand.Django.class,
      GenerateCommand.Gunicorn.class,
      GenerateCommand.Uvicorn.class,
      GenerateCommand.Systemd.class
    })
public final class GenerateCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a target is needed: nginx, caddy, django, gunicorn, uvicorn or systemd");
  }

  @Command(name = "nginx", mixinStandardHelpOptions = true, description = "An nginx site: ACME + redirect on port 80, TLS proxy on 443.")
  static final class Nginx implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GenerateSiteOptions site;
    @Mixin GenerateOutputOptions output;

    @Option(names = "--webroot", paramLabel = "DIR", description = "Where ACME challenge files go (default: ${DEFAULT-VALUE}).")
    Path webroot = Site.DEFAULT_WEBROOT;

    @Option(names = "--cert-dir", paramLabel = "DIR", description = "The certbot live/ directory (default: ${DEFAULT-VALUE}).")
    Path certDir = Site.DEFAULT_CERT_DIR;

    @Option(names = "--nginx-version", paramLabel = "X.Y.Z", description = "The nginx release to write for (default: ${DEFAULT-VALUE}).")
    String nginxVersion = NginxVersion.DEFAULT.toString();

    @Option(names = "--http-only", description = "Port 80 only (ACME webroot, the app over HTTP): the stage before the certificate exists.")
    boolean httpOnly;

    @Override
    public Integer call() {
      NginxVersion version = check(spec, () -> NginxVersion.parse("--nginx-version", nginxVersion));
      NginxGenerator generator = new NginxGenerator(version);
      Site s = site.site(spec, webroot.toAbsolutePath().normalize(), certDir.toAbsolutePath().normalize());
      return output.emit(spec, List.of(httpOnly ? generator.httpOnly(s) : generator.https(s)));
    }
  }

  @Command(name = "caddy", mixinStandardHelpOptions = true, description = "The same site as a Caddyfile.")
  static final class Caddy implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GenerateSiteOptions site;
    @Mixin GenerateOutputOptions output;

    @Override
    public Integer call() {
      return output.emit(spec, List.of(new CaddyGenerator().caddyfile(site.site(spec, Site.DEFAULT_WEBROOT, Site.DEFAULT_CERT_DIR))));
    }
  }

  @Command(name = "django", mixinStandardHelpOptions = true, description = "Django settings for a site behind an HTTPS proxy.")
  static final class Django implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GenerateNameOptions site;
    @Mixin GenerateOutputOptions output;

    @Option(names = "--dev", description = "Settings for gatehouse dev (https://localhost:8443, no HSTS) instead of production; no DOMAIN needed.")
    boolean dev;

    @Override
    public Integer call() {
      if (dev) {
        int port =
            spec.commandLine().getParseResult().hasMatchedOption("--https-port")
                ? site.httpsPort(spec)
                : DevCommand.DEFAULT_HTTPS_PORT;
        return output.emit(spec, List.of(new DjangoSettingsGenerator().devSettings(port)));
      }
      return output.emit(
          spec,
          List.of(new DjangoSettingsGenerator().settings(site.names(spec), site.httpsPort(spec), site.hsts(spec))));
    }
  }

  @Command(name = "gunicorn", mixinStandardHelpOptions = true, description = "The Gunicorn command behind the proxy.")
  static final class Gunicorn implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GenerateUpstreamOption site;
    @Mixin GenerateOutputOptions output;

    @Option(names = "--app", paramLabel = "MODULE:ATTR", description = "The WSGI application (default: ${DEFAULT-VALUE}).")
    String app = GunicornGenerator.DEFAULT_APP;

    @Option(names = "--forwarded-allow-ips", paramLabel = "LIST", description = "The proxy's addresses (TCP upstream; default: loopback).")
    String forwardedAllowIps;

    @Override
    public Integer call() {
      Upstream upstream = site.upstream(spec);
      return output.emit(
          spec, List.of(check(spec, () -> new GunicornGenerator().script(upstream, app, Optional.ofNullable(forwardedAllowIps)))));
    }
  }

  @Command(name = "uvicorn", mixinStandardHelpOptions = true, description = "The Uvicorn command behind the proxy.")
  static final class Uvicorn implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GenerateUpstreamOption site;
    @Mixin GenerateOutputOptions output;

    @Option(names = "--app", paramLabel = "MODULE:ATTR", description = "The ASGI application (default: ${DEFAULT-VALUE}).")
    String app = UvicornGenerator.DEFAULT_APP;

    @Option(names = "--forwarded-allow-ips", paramLabel = "LIST", description = "The proxy's addresses (default: loopback; * on a socket).")
    String forwardedAllowIps;

    @Override
    public Integer call() {
      Upstream upstream = site.upstream(spec);
      return output.emit(
          spec, List.of(check(spec, () -> new UvicornGenerator().script(upstream, app, Optional.ofNullable(forwardedAllowIps)))));
    }
  }

  @Command(
      name = "systemd",
      mixinStandardHelpOptions = true,
      description = "A unit for `gatehouse serve`, or with --renewal a renewal service and timer for nginx.")
  static final class Systemd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GenerateSiteOptions site;
    @Mixin GenerateOutputOptions output;

    @Option(names = "--renewal", description = "Renewal service + timer running `certs renew --deploy-hook` (for nginx).")
    boolean renewal;

    @Option(names = "--gatehouse-bin", paramLabel = "PATH", description = "The gatehouse command (default: ${DEFAULT-VALUE}).")
    Path gatehouseBin = SystemdGenerator.DEFAULT_GATEHOUSE_BIN;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Renewal: the state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir = SystemdGenerator.DEFAULT_STATE_DIR;

    @Option(names = "--deploy-hook", paramLabel = "CMD", description = "Renewal: run after each renewal (default: ${DEFAULT-VALUE}).")
    String deployHook = SystemdGenerator.DEFAULT_DEPLOY_HOOK;

    @Override
    public Integer call() {
      SystemdGenerator generator = new SystemdGenerator();
      if (renewal) {
        return output.emit(
            spec,
            check(spec, () -> generator.renewalUnits(gatehouseBin.toAbsolutePath(), stateDir.toAbsolutePath(), deployHook)));
      }
      return output.emit(spec, List.of(check(spec, () -> generator.serveUnit(site.site(spec, Site.DEFAULT_WEBROOT, Site.DEFAULT_CERT_DIR), gatehouseBin.toAbsolutePath()))));
    }
  }
}
