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
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** Starts this class in a new JVM with {@code args}. */
  static Process start(String... args) throws IOException {
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(javaBinary, "-cp", System.getProperty("java.class.path"), StorageChild.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
