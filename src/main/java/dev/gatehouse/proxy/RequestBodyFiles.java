package dev.gatehouse.proxy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where request bodies past the memory threshold wait ({@link RequestBodyBuffer}): {@code <state>/tmp}, mode
 * 0700, one file per body, mode 0600, deleted once the body was forwarded or dropped. In the state directory
 * rather than {@code java.io.tmpdir}: a shared {@code /tmp} may be a small tmpfs, is readable by name to other
 * users, and is swept by other tools; the state directory is Gatehouse's own. A crash can leave files
 * behind: {@link #prepare} removes them when the server starts. Every method does file I/O: never on an event
 * loop.
 */
final class RequestBodyFiles {

  /** The directory under the state directory. */
  static final String DIRECTORY = "tmp";

  static final String PREFIX = "body-";
  static final String SUFFIX = ".tmp";

  private static final System.Logger LOG = System.getLogger(RequestBodyFiles.class.getName());
  private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
  private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private RequestBodyFiles() {}

  static Path directory(Path stateDir) {
    return stateDir.resolve(DIRECTORY);
  }

  /** Creates {@code <state>/tmp} (0700, also when it existed wider) and deletes bodies a crash left there. */
  static void prepare(Path stateDir) throws IOException {
    Path dir = directory(stateDir);
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
    Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    int removed = 0;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path leftover : leftovers) {
        if (Files.deleteIfExists(leftover)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      LOG.log(Level.INFO, "removed " + removed + " request body file(s) an earlier run left in " + dir);
    }
  }

  /** A new empty body file, readable by this user only. */
  static Path create(Path stateDir) throws IOException {
    return Files.createTempFile(directory(stateDir), PREFIX, SUFFIX, FILE_MODE);
  }
}
