package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of the Django test site ({@code src/test/django}) that a test may edit, with a migrated SQLite
 * database and the superuser of {@link DjangoApp}, run by {@code gatehouse dev} from its folder with its
 * own {@code manage.py runserver} (Django 5.2 from the venv). The state directory (the local CA) is the
 * project's too.
 */
public final class DevProject implements AutoCloseable {

  /** runserver's start: system checks, then the first request through Gatehouse. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Map<String, String> env;
  private final int httpsPort = FreePorts.next();
  private ManagedProcess dev;

  private DevProject(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /** Copies and migrates the project; {@code settings} are its {@code DJANGO_*} variables. */
  public static DevProject create(Map<String, String> settings) {
    Path dir = TestDirs.newInstanceDir("dev-project");
    try (Stream<Path> files = Files.walk(TestDirs.djangoProject())) {
      Path source = TestDirs.djangoProject();
      for (Path from : (Iterable<Path>) files::iterator) {
        if (from.toString().contains("__pycache__")) {
          continue;
        }
        Path to = dir.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the Django test project to " + dir, e);
    }
    Map<String, String> env = new HashMap<>();
    System.getenv().keySet().stream()
        .filter(name -> name.startsWith("DJANGO_") || name.startsWith("PYTHON") || name.equals("VIRTUAL_ENV"))
        .forEach(name -> env.put(name, null));
    env.put("DJANGO_DB", dir.resolve("db.sqlite3").toString());
    env.putAll(settings);
    DevProject project = new DevProject(dir, env);
    ManagedProcess.run(List.of(python().toString(), "prepare_db.py"), env, dir, START_TIMEOUT)
        .orThrow("migrating the dev project in " + dir);
    return project;
  }

  /** The venv's Python with Django 5.2. */
  public static Path python() {
    return DjangoVersion.VENV_52.python();
  }

  /**
   * Starts {@code gatehouse dev --https-port PORT --state-dir DIR/state --python VENV args} in the project
   * with {@code extraEnv} ({@code HOME}) and waits until {@code /echo/} answers through it.
   */
  public void startDev(Map<String, String> extraEnv, String... args) {
    launchDev(extraEnv, args);
    dev.awaitReady("gatehouse dev answering /echo/ on https://localhost:" + httpsPort, START_TIMEOUT,
        () -> get("/echo/").status() == 200);
  }

  /** Starts {@code gatehouse dev} as {@link #startDev} does, without waiting for it. */
  public ManagedProcess launchDev(Map<String, String> extraEnv, String... args) {
    List<String> command = new ArrayList<>(List.of("dev", "--https-port", Integer.toString(httpsPort),
        "--state-dir", stateDir().toString(), "--python", python().toString()));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.putAll(extraEnv);
    dev = ManagedProcess.start("gatehouse dev", GatehouseProcess.command(command), all, dir, dir.resolve("dev.log"));
    return dev;
  }

  /** A GET through {@code gatehouse dev}, trusting the project's local CA. */
  public CurlResult get(String path) {
    return Curl.to(url(path)).cacert(rootPem()).maxTime(Duration.ofSeconds(10)).run();
  }

  public String url(String path) {
    return "https://localhost:" + httpsPort + path;
  }

  /** The port {@code gatehouse dev} listens on, chosen when the project is created. */
  public int httpsPort() {
    return httpsPort;
  }

  public Path dir() {
    return dir;
  }

  public Path stateDir() {
    return dir.resolve("state");
  }

  public Path rootPem() {
    return stateDir().resolve("localca/root.pem");
  }

  /** The running {@code gatehouse dev}. */
  public ManagedProcess dev() {
    return dev;
  }

  @Override
  public void close() {
    if (dev != null) {
      dev.stop();
    }
    TestDirs.deleteUnlessKept(dir);
  }
}
