package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.StorageKeys;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/gatehouse}, the command users install: it finds the jar, records a class-data-sharing archive on
 * the first {@code serve} of a jar and Java runtime and maps it on later starts, and keeps the JVM's own output
 * off standard output.
 */
class LauncherIT {

  /** The first start records the archive before serving: a few seconds, much more on a loaded machine. */
  static final Duration RECORDING_START_TIMEOUT = Duration.ofMinutes(3);

  private static final Path LAUNCHER = Paths.get("bin", "gatehouse").toAbsolutePath();

  private Path dir;
  private Path jar;
  private Path cache;
  private int httpsPort;

  @BeforeEach
  void setUp() throws IOException {
    dir = TestDirs.newInstanceDir("launcher");
    // A copy of its own, so that changing its time below touches nothing else.
    jar = Files.copy(GatehouseProcess.jar(), dir.resolve("gatehouse.jar"));
    cache = dir.resolve("cache");
  }

  @AfterEach
  void tearDown() {
    TestDirs.deleteUnlessKept(dir);
  }

  @Test
  void recordsTheArchiveOnceServesAndMapsItOnLaterStartsAndAgainForANewJar() throws IOException {
    Path state = dir.resolve("state");
    try (ManagedProcess first = serve("first", state, Map.of())) {
      assertThat(first.log()).contains("recording the classes a start loads");
      assertThat(get(state)).isEqualTo(200);
    }
    List<Path> archives = cacheFiles();
    assertThat(archives).hasSize(1);
    assertThat(archives.get(0).getFileName().toString()).matches("gatehouse-[0-9]+\\.jsa");

    Path classLog = dir.resolve("classes.log");
    try (ManagedProcess second =
        serve("second", state, Map.of("GATEHOUSE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog))) {
      assertThat(get(state)).isEqualTo(200);
      assertThat(second.log()).doesNotContain("recording");
    }
    // Mapped from the archive, not read from the jar: the classes the training loaded.
    assertThat(Files.readString(classLog))
        .contains("dev.gatehouse.cli.ServeCommand source: shared objects file (top)")
        .contains("dev.gatehouse.proxy.GatehouseServer source: shared objects file (top)");

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    try (ManagedProcess third = serve("third", state, Map.of())) {
      assertThat(third.log()).contains("recording the classes a start loads");
      assertThat(get(state)).isEqualTo(200);
    }
    List<Path> after = cacheFiles();
    assertThat(after).hasSize(1);
    assertThat(after).doesNotContainAnyElementsOf(archives);
  }

  @Test
  void underSystemdTheArchiveGoesToItsCacheDirectory() throws IOException {
    Path systemdCache = Files.createDirectory(dir.resolve("var-cache-gatehouse"));
    try (ManagedProcess serve =
        serve("systemd", dir.resolve("state"), Map.of("CACHE_DIRECTORY", systemdCache.toString()))) {
      assertThat(serve.log()).contains("recording the classes a start loads");
      assertThat(get(dir.resolve("state"))).isEqualTo(200);
    }
    try (Stream<Path> files = Files.list(systemdCache)) {
      assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().endsWith(".jsa");
    }
    assertThat(cache).doesNotExist();
  }

  @Test
  void anUnusableCacheDirectoryMeansNoArchiveNotAFailure() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("cache-file"), "");
    Path state = dir.resolve("state");
    try (ManagedProcess serve = serve("no-cache", state, Map.of("XDG_CACHE_HOME", notADirectory.toString()))) {
      assertThat(get(state)).isEqualTo(200);
      assertThat(serve.log()).doesNotContain("recording");
    }
  }

  @Test
  void standardOutputIsTheCommandsOutputOnly() {
    List<String> args = List.of("generate", "django", "example.com");
    ManagedProcess.Result launched = ManagedProcess.run(launcher(args), env(Map.of()), dir, Duration.ofMinutes(1));
    ManagedProcess.Result plain = GatehouseProcess.run(dir, Duration.ofMinutes(1), args.toArray(String[]::new));

    assertThat(launched.exitCode()).isZero();
    assertThat(launched.output()).isEqualTo(plain.output()).contains("SECURE_PROXY_SSL_HEADER");
  }

  @Test
  void aMissingJarIsAOneLineUsageError() {
    Path missing = dir.resolve("nowhere.jar");
    ManagedProcess.Result result = ManagedProcess.run(launcher(List.of("--version")),
        env(Map.of("GATEHOUSE_JAR", missing.toString())), dir, Duration.ofMinutes(1));

    assertThat(result.exitCode()).isEqualTo(GatehouseCommand.EXIT_USAGE);
    assertThat(result.output().strip()).isEqualTo(
        "gatehouse: GATEHOUSE_JAR=" + missing + ": no such file (expected the path of gatehouse.jar)");
  }

  private ManagedProcess serve(String name, Path state, Map<String, String> env) {
    int https = FreePorts.next();
    List<String> args = List.of("serve", "localhost", "--bind", "127.0.0.1", "--http-port", "0",
        "--https-port", Integer.toString(https), "--state-dir", state.toString(), "--access-log", "off");
    ManagedProcess process =
        ManagedProcess.start("gatehouse " + name, launcher(args), env(env), dir, dir.resolve(name + ".log"));
    httpsPort = https;
    try {
      process.awaitReady("gatehouse on 127.0.0.1:" + https, RECORDING_START_TIMEOUT, () -> FreePorts.accepts(https));
      return process;
    } catch (RuntimeException e) {
      process.stop();
      throw e;
    }
  }

  private int get(Path state) {
    return Curl.to("https://localhost:" + httpsPort + "/").cacert(state.resolve(StorageKeys.LOCAL_CA_ROOT)).run()
        .status();
  }

  private List<String> launcher(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(args);
    return command;
  }

  /** The launcher's environment: this test's jar and cache; the JVM running the tests. */
  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_JAR", jar.toString());
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("CACHE_DIRECTORY", null);
    env.put("GATEHOUSE_JAVA_OPTS", null);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.putAll(extra);
    return env;
  }

  private List<Path> cacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(cache.resolve("gatehouse"))) {
      return files.sorted().toList();
    }
  }
}
