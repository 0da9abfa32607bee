package dev.gatehouse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Moves a site's certificates, keys and state between a directory and a shared PostgreSQL store, either way:
 * the state dir of a single server, or certbot's {@code /etc/letsencrypt} whose {@code live/NAME/*.pem} are
 * symlinks into {@code archive/} (the files they point at are copied, under {@code live/}). Secrets stay
 * secrets: in a directory a file is one when the layout says so ({@link StorageKeys#isSecret}) or when others
 * may not read it; in the database its row says so.
 */
public final class StoreCopy {
  private StoreCopy() {}

  /**
   * What is copied out of a directory: the top-level directories of Gatehouse's layout ({@code live/} is also
   * certbot's). certbot's {@code archive/}, {@code keys/} and {@code csr/} hold past keys and requests, its
   * {@code accounts/SERVER/directory/HASH/} another layout than Gatehouse's {@code accounts/CA/EMAIL/}: none of
   * them is copied (Gatehouse registers its own ACME account).
   */
  static final Set<String> COPIED = Set.of("live", "accounts", "localca", "state");

  /** {@code accounts/CA/EMAIL/FILE}: what {@link StorageKeys#accountDir} builds. */
  private static final int ACCOUNT_KEY_SEGMENTS = 4;

  /** Keys of one server's own process, never shared: which {@code serve} runs here and what it was asked. */
  private static final List<String> LOCAL_ONLY = List.of(StorageKeys.SERVE_PID, StorageKeys.RENEW_REQUESTS);

  /** Copies every key under {@link #COPIED} in {@code dir} into {@code to}; returns how many. */
  public static int fromDirectory(Path dir, PostgresStorage to, Consumer<String> copied) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory (expected: a state dir or certbot's /etc/letsencrypt)");
    }
    int count = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String key = dir.relativize(file).toString();
        if (!copies(key)) {
          continue;
        }
        boolean secret = StorageKeys.isSecret(key)
            || !Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        to.store(key, Files.readAllBytes(file), secret);
        copied.accept(key + (secret ? " (secret)" : ""));
        count++;
      }
    }
    return count;
  }

  /** Copies every key of {@code from} into the directory store {@code to}, secrets 0600; returns how many. */
  public static int toDirectory(PostgresStorage from, FileStorage to, Consumer<String> copied) throws IOException {
    int count = 0;
    for (Map.Entry<String, Boolean> entry : from.keysWithSecrecy().entrySet()) {
      String key = entry.getKey();
      if (!copies(key)) {
        continue;
      }
      byte[] value = from.load(key).orElseThrow(() -> new IOException(key + " was deleted while it was copied"));
      to.store(key, value, entry.getValue());
      copied.accept(key + (entry.getValue() ? " (secret)" : ""));
      count++;
    }
    return count;
  }

  private static boolean copies(String key) {
    int slash = key.indexOf('/');
    if (slash < 0 || !COPIED.contains(key.substring(0, slash)) || LOCAL_ONLY.stream().anyMatch(key::startsWith)) {
      return false;
    }
    if (key.startsWith(StorageKeys.ACCOUNTS) && key.split("/").length != ACCOUNT_KEY_SEGMENTS) {
      return false;
    }
    try {
      FileStorage.segments(key);
      return !key.contains("/" + FileStorage.TEMP_PREFIX);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
