package dev.gatehouse.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Django test site ({@code src/test/django}) running the way a deployment runs it: Gunicorn
 * (sync workers) or Uvicorn, on a Unix socket or on 127.0.0.1, with a freshly migrated SQLite
 * database and the superuser {@value #ADMIN_USERNAME} / {@value #ADMIN_PASSWORD}.
 *
 * <p>Settings come from {@code DJANGO_*} environment variables (see {@code testsite/settings.py});
 * the defaults are a correct setup behind a TLS proxy. Every instance has its own temp directory
 * with the database, the socket and the server log. Construction returns once the server answers.
 */
public final class DjangoApp implements AutoCloseable {

  public static final String ADMIN_USERNAME = "admin";
  public static final String ADMIN_PASSWORD = "admin-password-123";
  /** How long start-up (migrate, then the server answering) may take. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** The application server. */
  public enum Server { GUNICORN, UVICORN }

  private final DjangoVersion version;
  private final Server server;
  private final Path dir;
  private final Path socket;
  private final int port;
  private final List<String> command;
  private final Map<String, String> env;
  private ManagedProcess process;

  private DjangoApp(Builder builder) {
    this.version = builder.version;
    this.server = builder.server;
    this.dir = TestDirs.newInstanceDir("django");
    this.socket = builder.unixSocket ? dir.resolve("app.sock") : null;
    this.port = builder.unixSocket ? -1 : FreePorts.next();
    this.env = pythonEnvironment(builder.env);
    this.command = command(builder);
  }

  /** Gunicorn, two sync workers, on a Unix socket: {@code upstreamArg()} is {@code unix:/path/app.sock}. */
  public static DjangoApp gunicornUnix(DjangoVersion version, Map<String, String> env) {
    return builder(version).gunicorn().unixSocket().env(env).start();
  }

  /** Uvicorn on 127.0.0.1:free port with {@code --proxy-headers --forwarded-allow-ips 127.0.0.1}. */
  public static DjangoApp uvicornTcp(DjangoVersion version, Map<String, String> env) {
    return builder(version).uvicorn().tcp().env(env).start();
  }

  public static Builder builder(DjangoVersion version) {
    return new Builder(version);
  }

  /** Chooses server, socket, workers and settings; {@link #start()} migrates and starts. */
  public static final class Builder {
    private final DjangoVersion version;
    private Server server = Server.GUNICORN;
    private boolean unixSocket = true;
    private int workers = 2;
    private int timeoutSeconds = 30;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> extraArgs = new ArrayList<>();

    private Builder(DjangoVersion version) {
      this.version = version;
    }

    public Builder gunicorn() {
      this.server = Server.GUNICORN;
      return this;
    }

    public Builder uvicorn() {
      this.server = Server.UVICORN;
      return this;
    }

    /** Listen on a Unix socket in the instance directory (the default). */
    public Builder unixSocket() {
      this.unixSocket = true;
      return this;
    }

    /** Listen on 127.0.0.1 on a free port. */
    public Builder tcp() {
      this.unixSocket = false;
      return this;
    }

    /** Worker processes (default 2); one Gunicorn sync worker serves one request at a time. */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers: " + workers + " (expected: >= 1)");
      }
      this.workers = workers;
      return this;
    }

    /** Gunicorn's worker timeout ({@code --timeout}, default 30 s); Uvicorn has none. */
    public Builder timeoutSeconds(int seconds) {
      if (seconds < 1) {
        throw new IllegalArgumentException("timeoutSeconds: " + seconds + " (expected: >= 1)");
      }
      this.timeoutSeconds = seconds;
      return this;
    }

    /** One {@code DJANGO_*} setting (or any environment variable) for the server process. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    /** Extra server command-line arguments, appended before the application name. */
    public Builder extraArgs(String... args) {
      extraArgs.addAll(List.of(args));
      return this;
    }

    /** Creates the instance directory and database, starts the server and waits until it answers. */
    public DjangoApp start() {
      DjangoApp app = new DjangoApp(this);
      try {
        app.prepareDatabase();
        app.start();
        return app;
      } catch (RuntimeException e) {
        app.close();
        throw e;
      }
    }
  }

  private Map<String, String> pythonEnvironment(Map<String, String> settings) {
    Map<String, String> result = new HashMap<>();
    // A DJANGO_* variable in the developer's shell must not leak into a test's settings.
    System.getenv().keySet().stream()
        .filter(name -> name.startsWith("DJANGO_") || name.startsWith("PYTHON"))
        .forEach(name -> result.put(name, null));
    result.put("PYTHONPATH", TestDirs.djangoProject().toString());
    result.put("PYTHONDONTWRITEBYTECODE", "1");
    result.put("PYTHONUNBUFFERED", "1");
    result.put("DJANGO_SETTINGS_MODULE", "testsite.settings");
    result.put("DJANGO_DB", dir.resolve("db.sqlite3").toString());
    result.put("DJANGO_STATIC_ROOT", dir.resolve("static").toString());
    result.putAll(settings);
    return result;
  }

  private List<String> command(Builder builder) {
    List<String> cmd = new ArrayList<>();
    if (server == Server.GUNICORN) {
      cmd.addAll(version.gunicorn());
      cmd.addAll(List.of("--bind", upstreamArg(), "--workers", Integer.toString(builder.workers),
          "--worker-class", "sync", "--timeout", Integer.toString(builder.timeoutSeconds),
          "--graceful-timeout", "2", "--access-logfile", "-", "--error-logfile", "-"));
      cmd.addAll(builder.extraArgs);
      cmd.add("testsite.wsgi:application");
    } else {
      cmd.addAll(version.uvicorn());
      if (socket != null) {
        cmd.addAll(List.of("--uds", socket.toString()));
      } else {
        cmd.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
      }
      cmd.addAll(List.of("--proxy-headers", "--forwarded-allow-ips", "127.0.0.1",
          "--app-dir", TestDirs.djangoProject().toString()));
      if (builder.workers > 1) {
        cmd.addAll(List.of("--workers", Integer.toString(builder.workers)));
      }
      cmd.addAll(builder.extraArgs);
      cmd.add("testsite.asgi:application");
    }
    return cmd;
  }

  private void prepareDatabase() {
    Path script = TestDirs.djangoProject().resolve("prepare_db.py");
    ManagedProcess.run(List.of(version.python().toString(), script.toString()), env, dir, START_TIMEOUT)
        .orThrow("migrating the test database in " + dir + " with Django " + version.majorMinor());
  }

  /** Starts the server (again, after {@link #stop()}) on the same socket or port and waits until it answers. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    String name = server.name().toLowerCase(Locale.ROOT) + " (Django " + version.majorMinor() + ")";
    process = ManagedProcess.start(name, command, env, TestDirs.djangoProject(), dir.resolve("server.log"));
    process.awaitReady(name + " answering on " + upstreamArg(), START_TIMEOUT,
        () -> socket != null ? HttpProbe.answers(socket, "/echo/") : HttpProbe.answers(port, "/echo/"));
  }

  /** Stops the server; {@link #start()} brings it back on the same address. */
  public synchronized void stop() {
    stopProcess();
  }

  private void stopProcess() {
    if (process != null) {
      process.stop();
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** What Gatehouse's {@code --upstream} takes: {@code unix:/path/app.sock} or {@code 127.0.0.1:PORT}. */
  public String upstreamArg() {
    return socket != null ? "unix:" + socket : "127.0.0.1:" + port;
  }

  /** The Unix socket; throws for a TCP instance. */
  public Path socket() {
    if (socket == null) {
      throw new IllegalStateException("this DjangoApp listens on TCP " + upstreamArg());
    }
    return socket;
  }

  /** The TCP port on 127.0.0.1; throws for a Unix-socket instance. */
  public int port() {
    if (socket != null) {
      throw new IllegalStateException("this DjangoApp listens on " + upstreamArg());
    }
    return port;
  }

  /** {@code http://127.0.0.1:PORT} + path, for talking to a TCP instance directly. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public DjangoVersion version() {
    return version;
  }

  public Server server() {
    return server;
  }

  /** The instance directory: {@code db.sqlite3}, {@code server.log}, {@code app.sock}, {@code static/}. */
  public Path dir() {
    return dir;
  }

  /** The server's combined stdout/stderr log file. */
  public Path logFile() {
    return dir.resolve("server.log");
  }

  /** The server log so far (access log lines and Django warnings such as DisallowedHost). */
  public String log() {
    return process == null ? "" : process.log();
  }

  @Override
  public synchronized void close() {
    stopProcess();
    TestDirs.deleteUnlessKept(dir);
  }

  @Override
  public String toString() {
    return "DjangoApp[" + server + ", Django " + version.majorMinor() + ", " + upstreamArg() + "]";
  }
}
