package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * nginx in its own prefix directory: config, pid, logs and temp files all under {@link #prefix()},
 * one worker, in the foreground as a child of the test. Nothing of /etc/nginx is used except
 * {@code mime.types}.
 *
 * <pre>{@code
 * int port = FreePorts.next();
 * try (Nginx nginx = Nginx.start("server { listen 127.0.0.1:" + port + "; return 200 'hi'; }")) { ... }
 * }</pre>
 */
public final class Nginx implements AutoCloseable {

  public static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  public static final String NGINX = "nginx";
  private static final boolean RUNNING_AS_ROOT = "root".equals(System.getProperty("user.name"));

  private final Path prefix;
  private ManagedProcess process;

  private Nginx(Path prefix) {
    this.prefix = prefix;
  }

  /** Writes an nginx.conf whose {@code http { }} block holds {@code httpBlock}, starts nginx, waits for workers. */
  public static Nginx start(String httpBlock) {
    Nginx nginx = inNewPrefix();
    try {
      nginx.startWithHttpBlock(httpBlock);
      return nginx;
    } catch (RuntimeException e) {
      nginx.close();
      throw e;
    }
  }

  /** A new prefix directory, nginx not started: write certificates etc. into {@link #prefix()} first. */
  public static Nginx inNewPrefix() {
    Path prefix = TestDirs.newInstanceDir("nginx");
    try {
      for (String sub : List.of("conf", "logs", "temp")) {
        Files.createDirectories(prefix.resolve(sub));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create nginx prefix " + prefix, e);
    }
    return new Nginx(prefix);
  }

  /** Starts with {@link #mainConfig(String)} around {@code httpBlock}. */
  public void startWithHttpBlock(String httpBlock) {
    startWithMainConfig(mainConfig(httpBlock));
  }

  /**
   * Starts with a complete nginx.conf, used verbatim; it must run in the foreground
   * ({@code daemon off;}) and should keep its files in {@link #prefix()} as {@link #mainConfig} does.
   */
  public synchronized void startWithMainConfig(String nginxConf) {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("nginx already runs in " + prefix);
    }
    writeConfig(nginxConf);
    ManagedProcess.Result test = testConfig();
    if (test.exitCode() != 0) {
      throw new IllegalStateException("nginx -t rejects " + confFile() + ":\n" + test.output());
    }
    process = ManagedProcess.start("nginx", List.of(NGINX, "-p", prefix + "/", "-c", confFile().toString(),
        "-e", errorLog().toString()), Map.of(), prefix, prefix.resolve("logs/stdout.log"));
    try {
      process.awaitReady("nginx workers running", START_TIMEOUT,
          () -> Files.exists(prefix.resolve("logs/nginx.pid")) && !workers().isEmpty());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n--- " + errorLog() + " ---\n" + errorLogText(), e);
    }
  }

  /**
   * The nginx.conf this harness writes: foreground, one worker, pid, logs and temp paths in the
   * prefix, {@code user root;} only when the tests run as root (nginx's default user would
   * not be able to read the test's files), then {@code http { mime types; httpBlock }}.
   */
  public String mainConfig(String httpBlock) {
    String p = prefix.toString();
    return (RUNNING_AS_ROOT ? "user root;\n" : "")
        + "worker_processes 1;\n"
        + "daemon off;\n"
        + "pid " + p + "/logs/nginx.pid;\n"
        + "error_log " + p + "/logs/error.log notice;\n"
        + "events { worker_connections 1024; }\n"
        + "http {\n"
        + "    access_log " + p + "/logs/access.log;\n"
        + "    client_body_temp_path " + p + "/temp/client_body;\n"
        + "    proxy_temp_path " + p + "/temp/proxy;\n"
        + "    fastcgi_temp_path " + p + "/temp/fastcgi;\n"
        + "    uwsgi_temp_path " + p + "/temp/uwsgi;\n"
        + "    scgi_temp_path " + p + "/temp/scgi;\n"
        + "    include /etc/nginx/mime.types;\n"
        + "    default_type application/octet-stream;\n"
        + httpBlock + "\n"
        + "}\n";
  }

  /** {@code nginx -t} on the current config file: exit code and nginx's output. */
  public ManagedProcess.Result testConfig() {
    return ManagedProcess.run(List.of(NGINX, "-t", "-p", prefix + "/", "-c", confFile().toString(),
        "-e", errorLog().toString()), Map.of(), prefix, Duration.ofSeconds(30));
  }

  /**
   * Replaces the http block and reloads (SIGHUP), returning once a new worker serves and the old
   * ones have left. An invalid config throws with nginx's message and is not signalled, so the
   * running nginx keeps its old configuration, while the file on disk holds the new one.
   */
  public void reload(String httpBlock) {
    reloadMainConfig(mainConfig(httpBlock));
  }

  /** {@link #reload} with a complete nginx.conf. */
  public synchronized void reloadMainConfig(String nginxConf) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("nginx does not run in " + prefix);
    }
    writeConfig(nginxConf);
    ManagedProcess.Result test = testConfig();
    if (test.exitCode() != 0) {
      throw new IllegalStateException("nginx -t rejects the new " + confFile() + ":\n" + test.output());
    }
    Set<Long> oldWorkers = workers();
    process.signal("HUP");
    process.awaitReady("nginx reload: a new worker", START_TIMEOUT,
        () -> workers().stream().anyMatch(pid -> !oldWorkers.contains(pid)));
    // Old workers close their listeners when told to quit; wait for them so no request meets the old config.
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (workers().stream().anyMatch(oldWorkers::contains) && System.nanoTime() < deadline) {
      ManagedProcess.sleep(20);
    }
  }

  private Set<Long> workers() {
    return process == null ? Set.of()
        : ProcessHandle.of(process.pid()).map(h -> h.children().map(ProcessHandle::pid)
            .collect(Collectors.toSet())).orElse(Set.of());
  }

  private void writeConfig(String nginxConf) {
    try {
      Files.writeString(confFile(), nginxConf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + confFile(), e);
    }
  }

  /** The prefix directory: {@code conf/nginx.conf}, {@code logs/}, {@code temp/}. */
  public Path prefix() {
    return prefix;
  }

  public Path confFile() {
    return prefix.resolve("conf/nginx.conf");
  }

  public Path errorLog() {
    return prefix.resolve("logs/error.log");
  }

  public Path accessLog() {
    return prefix.resolve("logs/access.log");
  }

  /** The error log so far (empty when nginx has not written one). */
  public String errorLogText() {
    try {
      return Files.exists(errorLog()) ? Files.readString(errorLog(), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops nginx (SIGTERM: fast shutdown) and waits; the prefix stays until {@link #close()}. */
  public synchronized void stop() {
    if (process != null) {
      process.stop();
    }
  }

  @Override
  public synchronized void close() {
    stop();
    TestDirs.deleteUnlessKept(prefix);
  }

  @Override
  public String toString() {
    return "Nginx[" + prefix + "]";
  }
}
