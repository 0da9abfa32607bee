package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One external process started by a test: stdout and stderr appended to a log file, stopped with
 * SIGTERM then SIGKILL (children included), and killed at JVM exit if a test forgot to close it.
 *
 * <p>Start failures throw {@link IllegalStateException} whose message ends with the log tail.
 */
public final class ManagedProcess implements AutoCloseable {

  /** How long {@link #stop()} waits after SIGTERM before it kills. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(5);
  /** Lines of log shown in failure messages. */
  public static final int LOG_TAIL_LINES = 40;
  private static final long POLL_MILLIS = 50;

  private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ManagedProcess::kill), "harness-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;

  private ManagedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} in {@code workDir} with the inherited environment plus {@code env}
   * (a {@code null} value removes a variable), output appended to {@code logFile}.
   */
  public static ManagedProcess start(
      String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    applyEnvironment(builder, env);
    try {
      Files.writeString(logFile, "harness: starting " + name + ": " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ManagedProcess started = new ManagedProcess(name, builder.start(), logFile);
      LIVE.add(started);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  /**
   * Runs {@code command} to completion (bounded by {@code timeout}) and returns its exit code and
   * combined output; for one-shot tools such as {@code nginx -t} or {@code openssl}.
   */
  public static Result run(List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    applyEnvironment(builder, env);
    try {
      Path out = Files.createTempFile("harness-run-", ".log");
      try {
        builder.redirectOutput(out.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor();
          throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command)
              + "\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  private static void applyEnvironment(ProcessBuilder builder, Map<String, String> env) {
    env.forEach((key, value) -> {
      if (value == null) {
        builder.environment().remove(key);
      } else {
        builder.environment().put(key, value);
      }
    });
  }

  /** Exit code and combined stdout+stderr of a finished command. */
  public record Result(int exitCode, String output) {
    /** The output, or throws with it when the exit code is not 0. */
    public String orThrow(String what) {
      if (exitCode != 0) {
        throw new IllegalStateException(what + " failed with exit code " + exitCode + ":\n" + output);
      }
      return output;
    }
  }

  /**
   * Polls {@code ready} every 50 ms until it is true. Throws, with the log tail, when the
   * process exits first or {@code timeout} passes.
   */
  public void awaitReady(String what, Duration timeout, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (ready.getAsBoolean()) {
        return;
      }
      if (!process.isAlive()) {
        throw failure(name + " exited with code " + process.exitValue() + " before " + what);
      }
      if (System.nanoTime() > deadline) {
        IllegalStateException failure = failure(what + " did not happen within " + timeout.toSeconds() + " s");
        stop();
        throw failure;
      }
      sleep(POLL_MILLIS);
    }
  }

  /** An exception whose message is {@code message}, the log path and the last lines of the log. */
  public IllegalStateException failure(String message) {
    return new IllegalStateException(message + "\n--- " + logFile + " (last " + LOG_TAIL_LINES
        + " lines; kept only with -D" + TestDirs.KEEP_PROPERTY + "=true) ---\n" + logTail(LOG_TAIL_LINES));
  }

  /** The last {@code lines} lines of the log. */
  public String logTail(int lines) {
    List<String> all = logLines();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** The whole log so far. */
  public String log() {
    return String.join("\n", logLines());
  }

  private List<String> logLines() {
    try {
      return Files.readAllLines(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of("(log unreadable: " + e + ")");
    }
  }

  public Path logFile() {
    return logFile;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code; throws while the process runs. */
  public int exitCode() {
    return process.exitValue();
  }

  /** Sends a signal by name ({@code HUP}, {@code QUIT}, {@code USR1}...) to the process itself. */
  public void signal(String signal) {
    run(List.of("kill", "-" + signal, Long.toString(process.pid())), Map.of(), logFile.getParent(),
        Duration.ofSeconds(5)).orThrow("kill -" + signal + " " + name);
  }

  /** Waits up to {@code timeout} for the process to exit; true when it has. */
  public boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * SIGTERM, up to {@link #STOP_GRACE} to exit, then SIGKILL; children that outlive their parent
   * are killed too. Idempotent.
   */
  public void stop() {
    List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
    process.destroy();
    if (!waitForExit(STOP_GRACE)) {
      process.destroyForcibly();
      waitForExit(STOP_GRACE);
    }
    children.forEach(ProcessHandle::destroyForcibly);
    LIVE.remove(this);
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + logFile + ")";
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
