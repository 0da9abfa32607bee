package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestBodyFilesTest {

  @TempDir Path state;

  @Test
  void bodyFilesLiveInAPrivateDirectoryOfTheStateDirectory() throws Exception {
    RequestBodyFiles.prepare(state);
    Path file = RequestBodyFiles.create(state);

    assertThat(file.getParent()).isEqualTo(state.resolve("tmp"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("tmp"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void leftoversAreRemovedAndAWiderDirectoryIsNarrowed() throws Exception {
    Path dir = Files.createDirectories(state.resolve("tmp"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path leftover = Files.writeString(dir.resolve("body-123.tmp"), "half an upload");
    Path foreign = Files.writeString(dir.resolve("notes.txt"), "not ours");

    RequestBodyFiles.prepare(state);

    assertThat(leftover).doesNotExist();
    assertThat(foreign).as("only body files are Gatehouse's to delete").exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }
}
