package dev.gatehouse.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An operator's hook command ({@code --dns-hook}, {@code --deploy-hook}): run by {@code /bin/sh -c} so it
 * may carry its own arguments and quoting, with Gatehouse's arguments appended as {@code "$@"} (never
 * spliced into the shell text, so a value cannot inject shell syntax).
 */
public final class HookCommand {

  private final String flag;
  private final String command;
  private final Duration timeout;

  /**
   * @param flag the flag the command came from, for messages
   */
  public HookCommand(String flag, String command, Duration timeout) {
    this.flag = flag;
    this.command = command;
    this.timeout = timeout;
  }

  public String command() {
    return command;
  }

  /**
   * Runs the command with {@code args} and extra environment, waiting at most the timeout.
   *
   * @throws IOException naming the flag, the arguments and the exit status with the last line of output
   */
  public void run(List<String> args, Map<String, String> environment) throws IOException {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", command + " \"$@\"", flag));
    argv.addAll(args);
    // Output goes to a file, not a pipe: a hook that hangs with its output open must not hang us past
    // the timeout, and one that prints a lot must not block on a full pipe.
    Path output = Files.createTempFile("gatehouse-hook", ".log");
    String call = flag + " '" + command + " " + String.join(" ", args) + "'";
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
      pb.environment().putAll(environment);
      Process process = pb.start();
      process.getOutputStream().close();
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new IOException(call + " did not finish within " + timeout.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException(call + " was interrupted", e);
      }
      if (process.exitValue() != 0) {
        throw new IOException(call + " exited with status " + process.exitValue()
            + lastLine(Files.readString(output, StandardCharsets.UTF_8)));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String lastLine(String output) {
    String trimmed = output.strip();
    return trimmed.isEmpty() ? "" : ": " + trimmed.substring(trimmed.lastIndexOf('\n') + 1);
  }
}
