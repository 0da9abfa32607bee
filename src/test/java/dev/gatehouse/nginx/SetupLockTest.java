package dev.gatehouse.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupLockTest {

  @Test
  void aLockHeldByAnotherProcessRefusesAtOnceNamingTheFile(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    Path file = state.resolve(SetupLock.FILE_NAME);
    ForeignLockHolder holder = ForeignLockHolder.lock(file);
    try {
      assertThatThrownBy(() -> SetupLock.acquire(state)).isInstanceOfSatisfying(SetupException.class, e -> {
        assertThat(e.step()).isEqualTo(Preflight.STEP);
        assertThat(e.getMessage()).isEqualTo("step 'preflight' failed: another `gatehouse nginx setup` is running: "
            + "it holds the lock on " + file + "; wait for it to finish");
      });
    } finally {
      holder.close();
    }
    SetupLock.acquire(state).close();
  }

  @Test
  void aSecondLockInTheSameProcessIsRefusedUntilTheFirstIsReleased(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    SetupLock first = SetupLock.acquire(state);
    try {
      assertThatThrownBy(() -> SetupLock.acquire(state)).isInstanceOf(SetupException.class)
          .hasMessageContaining("another `gatehouse nginx setup` is running");
    } finally {
      first.close();
    }
    SetupLock.acquire(state).close();
    assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(state.resolve(SetupLock.FILE_NAME)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }
}
