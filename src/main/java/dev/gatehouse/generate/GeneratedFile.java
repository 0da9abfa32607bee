package dev.gatehouse.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One generated file: the name it is usually installed under and its text.
 *
 * @param name a file name without directories, e.g. {@code gatehouse-renew.timer}
 */
public record GeneratedFile(String name, String content) {

  /** Configuration files are not secret: owner writes, everyone reads (nginx workers, systemd). */
  public static final Set<PosixFilePermission> CONFIG_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

  public GeneratedFile {
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("a file name without directories: " + name);
    }
  }

  /** Writes the content to {@code target} so that a reader or a crash sees the old file or the new one. */
  public void writeTo(Path target) throws IOException {
    writeAtomically(target, content.getBytes(StandardCharsets.UTF_8), CONFIG_PERMISSIONS);
  }

  /**
   * Writes a temporary file next to {@code target}, forces it to disk, renames it over {@code target} and
   * forces the directory, so nothing half-written is ever visible under {@code target}'s name.
   */
  public static void writeAtomically(Path target, byte[] data, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp =
        Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(permissions));
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(temp, permissions);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    forceDirectory(dir);
  }

  /** Makes a rename in {@code dir} durable (fsync on the directory, as POSIX requires for renames). */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
