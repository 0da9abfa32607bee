package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.store.StorageKeys;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestDirs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/gatehouse}, the command users install: it finds the jar, records a class-data-sharing archive (an
 * AOT cache on JDK 25 and later) on the first {@code serve} of a jar and Java runtime and maps it on later
 * starts, bounds the JVM's memory, and keeps the JVM's own output off standard output.
 */
class LauncherIT {

  /** The first start records the archive before serving: a few seconds, much more on a loaded machine. */
  static final Duration RECORDING_START_TIMEOUT = Duration.ofMinutes(3);

  private static final Path LAUNCHER = Paths.get("bin", "gatehouse").toAbsolutePath();

  /** Where Debian and the Temurin packages install Java runtimes. */
  private static final Path JVM_DIR = Paths.get("/usr/lib/jvm");

  /** The launcher's heap bound: {@code -Xmx256m}. */
  static final long HEAP_BOUND_BYTES = 256L << 20;

  /**
   * Resident memory of a serve that answered a few requests, well above what it uses (about 100 MiB in
   * BENCHMARKS.md) and far below what an unbounded JVM may take on a large machine (a quarter of it for heap).
   */
  static final long SMALL_SERVE_RSS_KIB = 400L << 10;

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
  void onJdk25OrLaterTheArchiveIsAnAotCacheRecordedUnderLoad() throws IOException {
    Optional<Path> jdk25 = javaHomeOfAtLeast(25);
    assumeTrue(jdk25.isPresent(), "no JDK 25 or later under " + JVM_DIR);
    Map<String, String> on25 = Map.of("JAVA_HOME", jdk25.get().toString());
    Path state = dir.resolve("state");
    try (ManagedProcess first = serve("first-25", state, on25)) {
      assertThat(first.log()).contains("recording the classes a start loads and the profiles of its hot paths");
      assertThat(get(state)).isEqualTo(200);
    }
    List<Path> caches = cacheFiles();
    assertThat(caches).singleElement().asString().matches(".*/gatehouse-[0-9]+\\.aot");

    Path classLog = dir.resolve("classes-25.log");
    Map<String, String> logged = new HashMap<>(on25);
    logged.put("GATEHOUSE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
    try (ManagedProcess second = serve("second-25", state, logged)) {
      assertThat(get(state)).isEqualTo(200);
      assertThat(second.log()).doesNotContain("recording").doesNotContain("WARNING");
    }
    assertThat(Files.readString(classLog))
        .contains("dev.gatehouse.cli.ServeCommand source: shared objects file")
        .contains("dev.gatehouse.proxy.GatehouseServer source: shared objects file");
  }

  @Test
  void theJvmIsBoundedAndAUsersOptionsWin() throws IOException {
    Path state = dir.resolve("state");
    try (ManagedProcess serve = serve("bounded", state, Map.of("GATEHOUSE_CDS", "off"))) {
      for (int i = 0; i < 50; i++) {
        assertThat(get(state)).isEqualTo(200);
      }
      assertThat(maxHeapBytes(serve.pid())).isEqualTo(HEAP_BOUND_BYTES);
      assertThat(residentKib(serve.pid())).isLessThan(SMALL_SERVE_RSS_KIB);
    }
    // A collector of the user's replaces the launcher's (two would be refused), and their heap bound wins.
    try (ManagedProcess serve = serve("users-options", state,
        Map.of("GATEHOUSE_CDS", "off", "GATEHOUSE_JAVA_OPTS", "-XX:+UseParallelGC -Xmx384m"))) {
      assertThat(get(state)).isEqualTo(200);
      assertThat(maxHeapBytes(serve.pid())).isEqualTo(384L << 20);
    }
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
      process.awaitReady("gatehouse on 127.0.0.1:" + https, RECORDING_START_TIMEOUT, () -> accepts(https));
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

  /** The heap bound the running JVM applied, as {@code jcmd PID VM.flags} reports it. */
  private long maxHeapBytes(long pid) {
    String jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
    String flags = ManagedProcess.run(List.of(jcmd, Long.toString(pid), "VM.flags"), Map.of(), dir,
        Duration.ofMinutes(1)).orThrow("jcmd VM.flags");
    Matcher max = Pattern.compile("-XX:MaxHeapSize=([0-9]+)").matcher(flags);
    assertThat(max.find()).as("MaxHeapSize in %s", flags).isTrue();
    return Long.parseLong(max.group(1));
  }

  private static long residentKib(long pid) throws IOException {
    return Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
        .findFirst().orElseThrow();
  }

  /** A Java runtime of at least {@code feature} under {@link #JVM_DIR}, by its {@code release} file. */
  private static Optional<Path> javaHomeOfAtLeast(int feature) throws IOException {
    if (!Files.isDirectory(JVM_DIR)) {
      return Optional.empty();
    }
    Pattern version = Pattern.compile("^JAVA_VERSION=\"([0-9]+)", Pattern.MULTILINE);
    try (Stream<Path> homes = Files.list(JVM_DIR)) {
      for (Path home : homes.sorted().toList()) {
        Path release = home.resolve("release");
        if (Files.isExecutable(home.resolve("bin/java")) && Files.isReadable(release)) {
          Matcher m = version.matcher(Files.readString(release));
          if (m.find() && Integer.parseInt(m.group(1)) >= feature) {
            return Optional.of(home);
          }
        }
      }
    }
    return Optional.empty();
  }

  private List<Path> cacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(cache.resolve("gatehouse"))) {
      return files.sorted().toList();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
