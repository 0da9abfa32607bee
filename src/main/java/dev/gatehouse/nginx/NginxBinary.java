package dev.gatehouse.nginx;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.generate.NginxVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Runs the nginx executable: version, {@code -t}, {@code -T}, {@code -s reload}. Every call blocks. */
public final class NginxBinary {

  /** How long one nginx invocation may take; {@code -t} on a large config with many certificates is the slowest. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /** How long a reload may take to replace every worker. */
  public static final Duration RELOAD_SETTLE = Duration.ofSeconds(20);

  private static final Pattern PID = Pattern.compile("(?m)^\\s*pid\\s+([^;\\s]+)\\s*;");
  private static final Pattern COMPILED_PID = Pattern.compile("--pid-path=(\\S+)");

  private final NginxPaths paths;

  public NginxBinary(NginxPaths paths) {
    this.paths = paths;
  }

  /** What one run printed: exit status, standard output, standard error. */
  public record Run(int exitCode, String out, String err) {
    boolean ok() {
      return exitCode == 0;
    }

    /** nginx's own message lines, for a step's failure reason. */
    String messages() {
      return (err + out).strip();
    }
  }

  /** {@code nginx -v}: which release, e.g. to choose the HTTP/2 syntax. */
  public NginxVersion version() throws IOException {
    Run r = run(List.of(paths.binary().toString(), "-v"));
    if (!r.ok()) {
      throw new IOException(paths.binary() + " -v failed: " + r.messages());
    }
    try {
      return NginxVersion.parse(paths.binary() + " -v", r.err() + r.out());
    } catch (ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** {@code nginx -t}: whether the configuration on disk is valid. */
  public Run test() throws IOException {
    return run(paths.command("-t"));
  }

  /** {@code nginx -T}: the whole configuration, each file headed by {@code # configuration file PATH:}. */
  public NginxConfigDump dump() throws IOException {
    Run r = run(paths.command("-T"));
    if (!r.ok()) {
      throw new IOException("nginx -T failed: " + r.messages());
    }
    return NginxConfigDump.parse(r.out());
  }

  /**
   * {@code nginx -s reload}: the master re-reads its configuration (keeping the old one if the new fails),
   * starts new workers and tells the old ones to finish. Until they have, a request may still meet the old
   * configuration, so this waits, up to {@link #RELOAD_SETTLE}, for a new worker and for the old ones to
   * exit. An old worker still busy with a long request after that is left to finish.
   */
  public void reload() throws IOException {
    Optional<ProcessHandle> master = masterPid(dump()).flatMap(ProcessHandle::of);
    Set<Long> old = master.map(NginxBinary::workers).orElse(Set.of());
    Run r = run(paths.command("-s", "reload"));
    if (!r.ok()) {
      throw new IOException("nginx -s reload failed: " + r.messages());
    }
    if (master.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + RELOAD_SETTLE.toNanos();
    while (System.nanoTime() < deadline) {
      Set<Long> now = workers(master.get());
      if (now.stream().anyMatch(pid -> !old.contains(pid)) && now.stream().noneMatch(old::contains)) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while nginx reloads", e);
      }
    }
  }

  private static Set<Long> workers(ProcessHandle master) {
    return master.children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  /** The running master's pid, from the pid file the configuration names (or nginx's compiled default). */
  public Optional<Long> masterPid(NginxConfigDump dump) throws IOException {
    Matcher m = PID.matcher(dump.mainFileText());
    Path pidFile;
    if (m.find()) {
      pidFile = Path.of(m.group(1));
    } else {
      Run v = run(List.of(paths.binary().toString(), "-V"));
      Matcher compiled = COMPILED_PID.matcher(v.err() + v.out());
      if (!compiled.find()) {
        return Optional.empty();
      }
      pidFile = Path.of(compiled.group(1));
    }
    if (!Files.isReadable(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Run run(List<String> command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try {
      if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
      }
      return new Run(p.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    } catch (ExecutionException e) {
      throw new IOException("cannot read the output of " + String.join(" ", command), e.getCause());
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
