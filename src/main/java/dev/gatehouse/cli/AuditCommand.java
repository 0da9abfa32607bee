package dev.gatehouse.cli;

import dev.gatehouse.audit.AuditOptions;
import dev.gatehouse.audit.AuditReport;
import dev.gatehouse.audit.AuditRunner;
import dev.gatehouse.audit.AuditUnavailableException;
import dev.gatehouse.audit.LoginCredentials;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.check.StandardChecks;
import dev.gatehouse.audit.http.HostResolver;
import dev.gatehouse.audit.http.ProbeLimits;
import dev.gatehouse.audit.report.JsonReportRenderer;
import dev.gatehouse.audit.report.JunitReportRenderer;
import dev.gatehouse.audit.report.ReportRenderer;
import dev.gatehouse.audit.report.TextReportRenderer;
import dev.gatehouse.audit.tls.TrustStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse audit URL}: checks a live deployment from the outside and prints findings with fixes. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
        "Audit a live HTTPS deployment of a Django app (Gatehouse, nginx, Caddy, a load balancer): redirects, "
            + "certificate, TLS, HSTS, cookies, CSRF behind the proxy, forwarded headers, mixed content, exposed "
            + "upstream ports, ACME renewal readiness and security headers; each finding names the setting "
            + "that fixes it.",
        "Exit status: 0 nothing at or above --fail-on, 1 something is, 2 the audit could not run."})
public final class AuditCommand implements Callable<Integer> {
  /** Exit status when a finding reaches {@code --fail-on}. */
  public static final int EXIT_FINDINGS = 1;
  /** Exit status when the audit could not run (bad flags, host unreachable). */
  public static final int EXIT_CANNOT_RUN = 2;

  private static final Map<String, Severity> FAIL_ON = Map.of("warning", Severity.WARNING, "error", Severity.ERROR);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The https:// URL to start from, e.g. https://example.com/.")
  String url;

  @Option(names = "--resolve", paramLabel = "HOST:IP", description = "Connect to IP for HOST instead of asking DNS (like curl --resolve); repeatable.")
  List<String> resolve = new ArrayList<>();

  @Option(names = "--http-port", paramLabel = "N", defaultValue = "80", description = "Port of the plain-HTTP probes (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust these CA certificates instead of the JDK's (a private or staging CA).")
  Path caFile;

  @Option(names = "--login-path", paramLabel = "PATH", defaultValue = "/admin/login/", description = "Path of the login form (default: ${DEFAULT-VALUE}).")
  String loginPath;

  @Option(names = "--login", paramLabel = "USER:PASS_ENV_VAR", description = "Log in as USER with the password in environment variable PASS_ENV_VAR, to check the session cookie.")
  String login;

  @Option(names = "--crawl", paramLabel = "N", defaultValue = "20", description = "Pages of the same origin to scan for mixed content (default: ${DEFAULT-VALUE}; 0: none).")
  int crawl;

  @Option(names = "--upstream-ports", paramLabel = "PORTS", description = "Comma-separated ports of the app server that must not be reachable from here, e.g. 8000,8001.")
  List<String> upstreamPorts = new ArrayList<>();

  @Option(names = "--format", paramLabel = "text|json|junit", defaultValue = "text", description = "Report format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--fail-on", paramLabel = "warning|error", defaultValue = "error", description = "Exit 1 when a finding is this bad or worse (default: ${DEFAULT-VALUE}).")
  String failOn;

  private final Function<String, String> environment;
  private final Clock clock;

  public AuditCommand() {
    this(System::getenv, Clock.systemUTC());
  }

  /** @param environment looks up environment variables ({@code --login}'s password) */
  public AuditCommand(Function<String, String> environment, Clock clock) {
    this.environment = environment;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Severity threshold = parseFailOn();
    ReportRenderer renderer = renderer();
    AuditOptions options = options();
    AuditReport report;
    try {
      report = new AuditRunner(StandardChecks.all(), clock).run(options);
    } catch (AuditUnavailableException e) {
      spec.commandLine().getErr().println("gatehouse audit: cannot audit " + options.url() + ": " + e.getMessage());
      spec.commandLine().getErr().flush();
      return EXIT_CANNOT_RUN;
    }
    spec.commandLine().getOut().print(renderer.render(report, threshold));
    spec.commandLine().getOut().flush();
    return report.fails(threshold) ? EXIT_FINDINGS : 0;
  }

  private AuditOptions options() {
    URI target = parseUrl();
    if (httpPort < 1 || httpPort > 65535) {
      throw usage("--http-port " + httpPort + ": expected a port 1-65535");
    }
    if (!loginPath.startsWith("/")) {
      throw usage("--login-path '" + loginPath + "': expected a path starting with /, e.g. /admin/login/");
    }
    if (crawl < 0) {
      throw usage("--crawl " + crawl + ": expected 0 or more pages");
    }
    return new AuditOptions(target, httpPort, parseResolve(), trust(), loginPath, parseLogin(), crawl,
        parseUpstreamPorts(), ProbeLimits.defaults());
  }

  private URI parseUrl() {
    String hint = "expected https://HOST[:PORT][/PATH], e.g. https://example.com/";
    URI target;
    try {
      target = new URI(url);
    } catch (URISyntaxException e) {
      throw usage("URL '" + url + "': not a URL (" + e.getReason() + "); " + hint);
    }
    if (!"https".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) {
      throw usage("URL '" + url + "': " + hint + " (the plain-HTTP side is probed on --http-port)");
    }
    return target;
  }

  private Map<String, InetAddress> parseResolve() {
    Map<String, InetAddress> overrides = new LinkedHashMap<>();
    for (String entry : resolve) {
      int colon = entry.indexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw usage("--resolve '" + entry + "': expected HOST:IP, e.g. example.com:127.0.0.1");
      }
      String host = entry.substring(0, colon).toLowerCase(Locale.ROOT);
      try {
        overrides.put(host, HostResolver.parseAddress(entry.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        throw usage("--resolve '" + entry + "': " + e.getMessage() + "; expected HOST:IP, e.g. "
            + "example.com:127.0.0.1 or example.com:[::1]");
      }
    }
    return overrides;
  }

  private TrustStore trust() {
    if (caFile == null) {
      return TrustStore.jdkDefault();
    }
    if (!Files.isReadable(caFile)) {
      throw usage("--ca-file " + caFile + ": no such readable file; expected a PEM file of CA certificates");
    }
    try {
      return TrustStore.fromPem(caFile);
    } catch (IOException e) {
      throw usage("--ca-file " + caFile + ": cannot be read (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw usage("--ca-file " + e.getMessage());
    }
  }

  private Optional<LoginCredentials> parseLogin() {
    if (login == null) {
      return Optional.empty();
    }
    int colon = login.lastIndexOf(':');
    if (colon <= 0 || colon == login.length() - 1) {
      throw usage("--login '" + login + "': expected USER:PASS_ENV_VAR, the name of an environment variable "
          + "holding the password (never the password itself), e.g. admin:AUDIT_PASSWORD");
    }
    String variable = login.substring(colon + 1);
    String password = environment.apply(variable);
    if (password == null || password.isEmpty()) {
      throw usage("--login '" + login + "': environment variable " + variable + " is not set or empty; it must "
          + "hold the password");
    }
    return Optional.of(new LoginCredentials(login.substring(0, colon), password));
  }

  private List<Integer> parseUpstreamPorts() {
    List<Integer> ports = new ArrayList<>();
    for (String value : upstreamPorts.stream().flatMap(v -> List.of(v.split(",", -1)).stream()).toList()) {
      try {
        int port = Integer.parseInt(value.trim());
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        ports.add(port);
      } catch (NumberFormatException e) {
        throw usage("--upstream-ports '" + String.join(",", upstreamPorts) + "': '" + value
            + "' is not a port; expected ports 1-65535 separated by commas, e.g. 8000,8001");
      }
    }
    return ports;
  }

  private Severity parseFailOn() {
    Severity threshold = FAIL_ON.get(failOn.toLowerCase(Locale.ROOT));
    if (threshold == null) {
      throw usage("--fail-on '" + failOn + "': expected warning or error");
    }
    return threshold;
  }

  private ReportRenderer renderer() {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "text" -> new TextReportRenderer(colourWanted(), terminalWidth());
      case "json" -> new JsonReportRenderer();
      case "junit" -> new JunitReportRenderer();
      default -> throw usage("--format '" + format + "': expected text, json or junit");
    };
  }

  /** Colour only on a terminal, and never with {@code NO_COLOR} set (no-color.org). */
  private boolean colourWanted() {
    return System.console() != null && environment.apply("NO_COLOR") == null;
  }

  private int terminalWidth() {
    String columns = environment.apply("COLUMNS");
    try {
      return columns == null ? TextReportRenderer.DEFAULT_WIDTH : Integer.parseInt(columns.trim());
    } catch (NumberFormatException e) {
      return TextReportRenderer.DEFAULT_WIDTH;
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
