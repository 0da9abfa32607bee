package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.ServeConfigBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse dev}: HTTPS for a Django project in development, the role of django-sslserver's
 * {@code runsslserver} and mkcert together. Starts {@code manage.py runserver} on loopback and serves
 * {@code https://localhost:PORT} (and the {@code *.localhost} names given) in front of it through the same proxy as {@code
 * serve}, with a local-CA certificate, HTTP/1.1 and HTTP/2, and no HSTS: browsers keep HSTS per host name,
 * not per port (RFC 6797 §8.1), so a {@code localhost} that once sent it would be HTTPS-only for every
 * project run there later. Ctrl-C stops both; a runserver that exits ends {@code dev} with its status.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run manage.py runserver behind https://localhost:8443 (and --name NAME.localhost) with the local CA, no HSTS.",
      "Run it in the folder with manage.py; pass runserver options after --. Trust the CA once: gatehouse ca install."
    })
public final class DevCommand implements Callable<Integer> {

  public static final int DEFAULT_HTTPS_PORT = 8443;

  /** Always served; RFC 6761 §6.3 makes it and every {@code *.localhost} name resolve to this machine. */
  static final String LOCALHOST = "localhost";

  @Option(names = "--https-port", paramLabel = "N", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  String httpsPort = Integer.toString(DEFAULT_HTTPS_PORT);

  @Option(names = "--name", paramLabel = "NAME.localhost", description = "Also serve this subdomain of localhost (repeatable); a certificate for *.localhost is not valid (a wildcard needs two labels after it).")
  List<String> names = new ArrayList<>();

  @Option(names = "--python", paramLabel = "PATH", description = "The Python with Django (default: $VIRTUAL_ENV/bin/python, .venv/bin/python or venv/bin/python in the project, else python3).")
  String python;

  @Option(names = "--upstream", paramLabel = "ADDR", description = "Proxy to a server already running (HOST:PORT or unix:/path) instead of starting runserver.")
  String upstream;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the local CA and certificates live (default: ${DEFAULT-VALUE}).")
  Path stateDir = ServeConfig.defaultStateDir();

  @Parameters(paramLabel = "RUNSERVER-OPTION", arity = "0..*", description = "After --: options for runserver (--noreload, --nothreading, ...).")
  List<String> runserverArgs = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (System.getProperty(ServeCommand.NETTY_JFR_PROPERTY) == null) {
      System.setProperty(ServeCommand.NETTY_JFR_PROPERTY, "false");
    }
    Path project = Path.of("").toAbsolutePath();
    boolean hasManagePy = Files.isRegularFile(project.resolve("manage.py"));
    if (!hasManagePy && upstream == null) {
      throw new UsageException("no manage.py in " + project
          + " (expected: run gatehouse dev in the Django project folder, or give --upstream)");
    }
    if (upstream != null && !runserverArgs.isEmpty()) {
      throw new UsageException("runserver options " + runserverArgs + " with --upstream (expected: one or the other)");
    }
    Optional<Path> pythonPath = hasManagePy ? Optional.of(python(project)) : Optional.empty();
    int runserverPort = upstream == null ? freeLoopbackPort() : 0;
    ServeConfig config = config(upstream != null ? upstream : "127.0.0.1:" + runserverPort);
    int port = config.httpsPort();

    AtomicReference<RunningGatehouse> running = new AtomicReference<>();
    AtomicReference<DevRunserver> runserver = new AtomicReference<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    CompletableFuture<Integer> finished = new CompletableFuture<>();
    Runnable stop =
        () -> {
          interrupted.set(true);
          finished.complete(0);
        };
    if (!(Signals.handle("INT", stop) && Signals.handle("TERM", stop))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "gatehouse-dev-shutdown"));
    }
    try {
      running.set(RunningGatehouse.start(config));
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
    try {
      PrintWriter out = spec.commandLine().getOut();
      out.println("gatehouse dev: https://localhost:" + port + "/ -> "
          + (upstream != null ? upstream : "manage.py runserver 127.0.0.1:" + runserverPort));
      if (pythonPath.isPresent() && !interrupted.get()) {
        new DevSettingsCheck(port).run(pythonPath.get(), project).forEach(out::println);
      }
      out.flush();
      if (upstream == null && !interrupted.get()) {
        try {
          runserver.set(DevRunserver.start(pythonPath.orElseThrow(), project, runserverPort, runserverArgs));
        } catch (IOException e) {
          throw new UsageException("--python: cannot start " + pythonPath.get() + " (" + e.getMessage() + ")");
        }
        runserver.get().exit().thenAccept(finished::complete);
      }
      int status = finished.join();
      return interrupted.get() ? 0 : status;
    } finally {
      DevRunserver r = runserver.get();
      if (r != null) {
        r.stop();
      }
      running.get().close();
    }
  }

  private ServeConfig config(String upstreamAddress) {
    List<String> served = new ArrayList<>(List.of(LOCALHOST));
    for (String name : names) {
      if (!name.toLowerCase(Locale.ROOT).endsWith("." + LOCALHOST) || name.startsWith("*")) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--name: '" + name + "' is not a subdomain of localhost (expected: e.g. api.localhost)");
      }
      served.add(name);
    }
    try {
      return new ServeConfigBuilder()
          .site(new ServeConfigBuilder.SiteSpec(served, Optional.of(upstreamAddress), List.of(), Optional.of("internal"),
              Optional.empty(), Optional.empty(), ServeConfigBuilder.SiteSpec.FLAGS))
          .bind("--bind", "127.0.0.1")
          .httpPort("--http-port", "0")
          .httpsPort("--https-port", httpsPort)
          .stateDir(stateDir)
          .hsts("--hsts", "off")
          .accessLog("--access-log", "off")
          .build();
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** {@code --python}, else the project's virtualenv, else {@code python3} on PATH. */
  private Path python(Path project) {
    if (python != null) {
      Path given = resolve(python).orElseThrow(() -> new UsageException(
          "--python: '" + python + "' is not an executable program (expected: a Python with Django, e.g. .venv/bin/python)"));
      return given;
    }
    List<Path> candidates = new ArrayList<>();
    String virtualEnv = System.getenv("VIRTUAL_ENV");
    if (virtualEnv != null) {
      candidates.add(Path.of(virtualEnv, "bin", "python"));
    }
    candidates.add(project.resolve(".venv/bin/python"));
    candidates.add(project.resolve("venv/bin/python"));
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return resolve("python3").orElseThrow(() -> new UsageException(
        "no Python found: no virtualenv (.venv, venv, $VIRTUAL_ENV) and no python3 on PATH (expected: --python PATH)"));
  }

  /** A path as given if it has a slash, else looked up on PATH as a shell would. */
  private static Optional<Path> resolve(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program).toAbsolutePath();
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** A port nothing listens on now, for runserver; the kernel picks it from the ephemeral range. */
  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UsageException("cannot find a free port on 127.0.0.1 for runserver: " + e.getMessage());
    }
  }
}
