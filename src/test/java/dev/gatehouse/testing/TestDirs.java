package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where harness instances keep their files, and where the harness finds the repository's parts.
 *
 * <p>Instance directories live under {@code java.io.tmpdir} (short paths: a Unix socket path
 * must fit in 108 bytes). They are deleted on close, and after a failed start (whose exception
 * carries the log tail), unless the system property {@value #KEEP_PROPERTY} is {@code true}.
 */
public final class TestDirs {

  /** System property: keep instance directories after close, for debugging. */
  public static final String KEEP_PROPERTY = "gatehouse.keepTestDirs";
  /** System property: the Django test project (default {@code <cwd>/src/test/django}). */
  public static final String DJANGO_PROJECT_PROPERTY = "gatehouse.djangoProject";

  private TestDirs() {}

  /** A new private (0700) directory named {@code gatehouse-<kind>-<random>} under the temp dir. */
  public static Path newInstanceDir(String kind) {
    try {
      return Files.createTempDirectory(
          "gatehouse-" + kind + "-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for " + kind, e);
    }
  }

  /** Deletes {@code dir} recursively unless {@value #KEEP_PROPERTY} is set; never throws. */
  public static void deleteUnlessKept(Path dir) {
    if (Boolean.getBoolean(KEEP_PROPERTY) || dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.err.println("harness: could not delete " + dir + ": " + e);
    }
  }

  /** The Django test project directory (contains {@code manage.py} and {@code testsite/}). */
  public static Path djangoProject() {
    Path dir = Paths.get(System.getProperty(DJANGO_PROJECT_PROPERTY, "src/test/django")).toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("manage.py"))) {
      throw new IllegalStateException("Django test project not found at " + dir
          + " (set -D" + DJANGO_PROJECT_PROPERTY + "=<dir containing manage.py>)");
    }
    return dir;
  }
}
