package dev.gatehouse.nginx;

import dev.gatehouse.testing.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Another process holding an exclusive lock on a file, the way a second {@code gatehouse nginx setup} would:
 * Python's {@code fcntl.lockf} takes the same POSIX record lock as Java's {@code FileChannel.tryLock} on
 * Linux. The lock lasts until {@link #close()} ends the process.
 */
public final class ForeignLockHolder implements AutoCloseable {

  /** Prints {@code held: FILE} once locked (the harness logs the command line too, so not a word of it). */
  private static final String SCRIPT = String.join("\n",
      "import fcntl, sys, time",
      "f = open(sys.argv[1], 'a')",
      "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
      "print('held:', f.name, flush=True)",
      "time.sleep(600)");

  private final ManagedProcess process;

  private ForeignLockHolder(ManagedProcess process) {
    this.process = process;
  }

  /** Starts the holder and returns once it holds the lock on {@code file}. */
  public static ForeignLockHolder lock(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Path log = Files.createTempFile(file.getParent(), "lock-holder", ".log");
    ManagedProcess p = ManagedProcess.start("lock holder", List.of("/usr/bin/python3", "-c", SCRIPT, file.toString()),
        Map.of(), file.getParent(), log);
    p.awaitReady("python3 holding the lock on " + file, Duration.ofSeconds(10), () -> p.log().contains("held: " + file));
    return new ForeignLockHolder(p);
  }

  @Override
  public void close() {
    process.stop();
  }
}
