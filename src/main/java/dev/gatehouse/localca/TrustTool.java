package dev.gatehouse.localca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a trust-store tool ({@code certutil}, {@code update-ca-certificates}) to completion, bounded by
 * {@link #TIMEOUT}. Output goes to a file, not a pipe: a tool that prints a lot cannot block on a full pipe.
 */
final class TrustTool {

  /** update-ca-certificates rebuilds every bundle and runs the Java hook: seconds on a slow machine. */
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** A finished run: the exit status and what it printed (standard output and error). */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    /** The last line printed, for a one-line message. */
    String lastLine() {
      String trimmed = output.strip();
      return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }
  }

  private TrustTool() {}

  /**
   * @throws IOException if the program cannot be started (not installed) or does not finish in time
   */
  static Result run(List<String> command) throws IOException {
    Path output = Files.createTempFile("gatehouse-trust", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      process.getOutputStream().close();
      try {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException(String.join(" ", command) + " was interrupted", e);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Whether {@code program} is an executable file on {@code PATH}. */
  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
