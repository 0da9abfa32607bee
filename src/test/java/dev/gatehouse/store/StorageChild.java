package dev.gatehouse.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process for {@link FileStorageTest}: crashes in the middle of a write, or holds a lock until told
 * to let go. Run with the test classpath.
 */
public final class StorageChild {
  private StorageChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[1]);
    switch (args[0]) {
      case "crash-before-rename" -> {
        FileStorage storage = new FileStorage(root, (temporary, target) -> Runtime.getRuntime().halt(137));
        storage.store(args[2], args[3].getBytes(StandardCharsets.UTF_8), false);
        System.exit(1);
      }
      case "hold-lock" -> {
        FileStorage storage = new FileStorage(root);
        Storage.Lock lock = storage.lock(args[2]);
        System.out.println("locked");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        Files.writeString(Path.of(args[3]), "released");
        lock.close();
      }
      case "hold-postgres-lock" -> {
        // args: URL, state dir, store key file, lock name; the password in PGPASSWORD.
        PostgresStorage storage = PostgresStorage.open(PostgresLocation.parse(args[1]),
            java.util.Optional.of(System.getenv("PGPASSWORD")), Path.of(args[3]), Path.of(args[2]));
        storage.lock(args[4], java.time.Duration.ofSeconds(30));
        System.out.println("locked");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** Starts this class in a new JVM with {@code args}. */
  static Process start(String... args) throws IOException {
    return start(java.util.Map.of(), args);
  }

  /** {@link #start(String...)} with extra environment variables. */
  static Process start(java.util.Map<String, String> env, String... args) throws IOException {
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(javaBinary, "-cp", System.getProperty("java.class.path"), StorageChild.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(env);
    return builder.start();
  }
}
