package dev.gatehouse.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The shaded {@code gatehouse.jar} run as a user runs it ({@code java -jar gatehouse.jar ARGS}),
 * in its own temp directory with its output in a log file there.
 *
 * <pre>{@code
 * try (GatehouseProcess serve = GatehouseProcess.start(List.of("serve", "app.test", "--upstream", app.upstreamArg(),
 *     "--http-port", "" + http, "--https-port", "" + https, "--state-dir", ...), http, https)) { ... }
 * }</pre>
 */
public final class GatehouseProcess implements AutoCloseable {

  /** System property with the jar's path (failsafe sets it); default {@code target/gatehouse.jar}. */
  public static final String JAR_PROPERTY = "gatehouse.jar";
  /** How long {@link #start} waits for the ports to accept connections. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final ManagedProcess process;

  private GatehouseProcess(Path dir, ManagedProcess process) {
    this.dir = dir;
    this.process = process;
  }

  /** The jar under test; throws naming the property when it was not built. */
  public static Path jar() {
    Path jar = Paths.get(System.getProperty(JAR_PROPERTY, "target/gatehouse.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("gatehouse jar not found at " + jar
          + " (run `mvn package` first, or set -D" + JAR_PROPERTY + "=<path>)");
    }
    return jar;
  }

  /**
   * Netty's leak detector at its strictest: the shipped jar turns it off (Main), the tests want every leaked
   * buffer reported, with where it was last touched, in the log ({@link #LEAK_REPORT}).
   */
  public static final String LEAK_DETECTION = "-Dio.netty.leakDetection.level=paranoid";
  /** How Netty's leak detector starts the line it logs for a leaked buffer. */
  public static final String LEAK_REPORT = "LEAK:";

  /** {@code java -jar gatehouse.jar args}: the command line, with the JVM running these tests. */
  public static List<String> command(List<String> args) {
    return command(List.of(), args);
  }

  /**
   * {@code java JVM-OPTIONS -jar gatehouse.jar args} ({@code -Xmx64m}, {@code -Dname=value}); {@link
   * #LEAK_DETECTION} comes first, so a test's own {@code -Dio.netty.leakDetection.level} wins.
   */
  public static List<String> command(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add(LEAK_DETECTION);
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(args);
    return command;
  }

  /** Runs a one-shot subcommand ({@code audit}, {@code generate}, {@code --help}) to completion in {@code workDir}. */
  public static ManagedProcess.Result run(Path workDir, Duration timeout, String... args) {
    return run(workDir, Map.of(), timeout, List.of(args));
  }

  /** {@link #run(Path, Duration, String...)} with extra environment variables. */
  public static ManagedProcess.Result run(Path workDir, Map<String, String> env, Duration timeout, List<String> args) {
    return ManagedProcess.run(command(args), env, workDir, timeout);
  }

  /** Starts a long-running subcommand and returns once every port in {@code awaitPorts} accepts on 127.0.0.1. */
  public static GatehouseProcess start(List<String> args, int... awaitPorts) {
    return start(args, Map.of(), awaitPorts);
  }

  /** {@link #start(List, int...)} with extra environment variables. */
  public static GatehouseProcess start(List<String> args, Map<String, String> env, int... awaitPorts) {
    return start(List.of(), args, env, awaitPorts);
  }

  /** {@link #start(List, Map, int...)} in a JVM started with {@code jvmOptions} (heap size, system properties). */
  public static GatehouseProcess start(
      List<String> jvmOptions, List<String> args, Map<String, String> env, int... awaitPorts) {
    Path dir = TestDirs.newInstanceDir("gatehouse");
    ManagedProcess process = ManagedProcess.start("gatehouse " + String.join(" ", args),
        command(jvmOptions, args), env, dir, dir.resolve("gatehouse.log"));
    GatehouseProcess gatehouse = new GatehouseProcess(dir, process);
    try {
      process.awaitReady("gatehouse listening on 127.0.0.1 ports " + Arrays.toString(awaitPorts),
          START_TIMEOUT, () -> allAccept(awaitPorts));
      return gatehouse;
    } catch (RuntimeException e) {
      gatehouse.close();
      throw e;
    }
  }

  private static boolean allAccept(int... ports) {
    for (int port : ports) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** The process (signals, exit code, log). */
  public ManagedProcess process() {
    return process;
  }

  /** Sends SIGHUP (reload) to gatehouse. */
  public void reload() {
    process.signal("HUP");
  }

  /** Everything gatehouse printed so far. */
  public String log() {
    return process.log();
  }

  /** The working directory it runs in (a fresh temp dir, deleted on close). */
  public Path dir() {
    return dir;
  }

  /** SIGTERM, then SIGKILL after {@link ManagedProcess#STOP_GRACE}; the directory stays until {@link #close()}. */
  public void stop() {
    process.stop();
  }

  /** Stops it; then fails the test if Netty reported a leaked buffer while it ran. */
  @Override
  public void close() {
    process.stop();
    String log = process.log();
    TestDirs.deleteUnlessKept(dir);
    int leak = log.indexOf(LEAK_REPORT);
    if (leak >= 0) {
      throw new AssertionError("gatehouse leaked a Netty buffer: " + log.substring(leak));
    }
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
