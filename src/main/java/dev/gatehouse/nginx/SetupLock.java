package dev.gatehouse.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * The one {@code nginx setup} that may run at a time per state directory, held from before preflight until
 * after its own restore on failure. Two setups at once would back up each other's half-written site files,
 * reload nginx between each other's steps, and could restore a rollback point over the other's result.
 *
 * <p>An exclusive OS lock ({@code fcntl} on Linux) on {@value #FILE_NAME} in the state directory: the kernel
 * drops it when the holder exits, even by {@code kill -9}, so a crashed setup never leaves a stale lock. The
 * file itself stays; deleting it would let a third run lock a new file while a second still holds the old one.
 * Not thread-safe: one instance per run, closed when the run ends.
 */
final class SetupLock implements AutoCloseable {

  static final String FILE_NAME = "nginx-setup.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private SetupLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock without waiting; throws a preflight refusal naming the file when another run holds it. */
  static SetupLock acquire(Path stateDir) throws SetupException {
    Path file = stateDir.resolve(FILE_NAME);
    FileChannel channel;
    try {
      Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new SetupException(Preflight.STEP, "cannot open the lock file " + file + " (" + e.getMessage() + ")");
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // This JVM already holds it: another setup in the same process, just as much a second run.
      lock = null;
    } catch (IOException e) {
      close(channel);
      throw new SetupException(Preflight.STEP, "cannot lock " + file + " (" + e.getMessage() + ")");
    }
    if (lock == null) {
      close(channel);
      throw new SetupException(Preflight.STEP, "another `gatehouse nginx setup` is running: it holds the lock on "
          + file + "; wait for it to finish");
    }
    return new SetupLock(channel, lock);
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was locked through it; the refusal or failure being reported is what matters.
    }
  }

  /** Releases the lock; closing the channel would release it too, the explicit release makes the order plain. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock on " + FILE_NAME, e);
    }
  }
}
