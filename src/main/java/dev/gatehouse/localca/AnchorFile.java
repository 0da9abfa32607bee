package dev.gatehouse.localca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a trust anchor (a certificate, public) whole or not at all: a temporary file in the target's
 * directory, fsynced, renamed over the target, the directory fsynced. A reader such as {@code
 * update-ca-certificates} never sees half a certificate.
 */
final class AnchorFile {

  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private AnchorFile() {}

  static void write(Path target, byte[] data) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temporary = Files.createTempFile(dir, ".tmp-" + target.getFileName(), "");
    boolean renamed = false;
    try {
      Files.setPosixFilePermissions(temporary, PUBLIC);
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      renamed = true;
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
