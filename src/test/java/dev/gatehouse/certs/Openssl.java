package dev.gatehouse.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line tool, the reference that certificates and keys are checked against. */
public final class Openssl {
  private Openssl() {}

  /** Output of a run that must succeed. */
  public static String run(Path dir, String... args) throws IOException, InterruptedException {
    Result result = tryRun(dir, args);
    if (result.exitCode != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + result.output);
    }
    return result.output;
  }

  /** Output and exit status of a run, stdout and stderr together. */
  public static Result tryRun(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl " + String.join(" ", args) + " did not finish");
    }
    return new Result(process.exitValue(), output);
  }

  public record Result(int exitCode, String output) {}
}
