package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 64 KiB tmpfs mounted for the test (needs root, as on the CI machine; skipped with the
 * reason otherwise), a write that does not fit, and the old file still whole with no temporary left behind.
 */
class FileStorageFullDiskIT {

  @TempDir Path dir;

  @Test
  void aWriteThatFillsTheDiskLeavesTheOldFileWhole() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("small"));
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mount.toString()) == 0,
        "mounting a tmpfs needs root");
    try {
      FileStorage storage = new FileStorage(mount);
      byte[] old = new byte[16 << 10];
      Arrays.fill(old, (byte) 'o');
      storage.store("certificates/app.example/key.pem", old, true);
      byte[] big = new byte[256 << 10];
      Arrays.fill(big, (byte) 'n');

      assertThatThrownBy(() -> storage.store("certificates/app.example/key.pem", big, true))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No space left on device");

      assertThat(storage.load("certificates/app.example/key.pem")).hasValueSatisfying(b -> assertThat(b).isEqualTo(old));
      try (Stream<Path> files = Files.list(mount.resolve("certificates/app.example"))) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("key.pem");
      }
    } finally {
      assertThat(run("umount", mount.toString())).as("umount " + mount).isZero();
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
