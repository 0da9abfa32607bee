package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Django's {@code manage.py runserver} as {@code gatehouse dev} runs it: on {@code 127.0.0.1:PORT}, its
 * output on ours, its autoreloader left on. The autoreloader is two processes (a watcher that restarts a
 * server child after each edit), so stopping means stopping the whole tree: signalled on its own, the
 * watcher would leave the server child running and holding the port.
 */
final class DevRunserver {

  /** How long runserver gets to exit after SIGTERM before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;

  private DevRunserver(Process process) {
    this.process = process;
  }

  /**
   * @param args runserver options after {@code --} ({@code --noreload}, {@code --nothreading}, ...)
   * @throws IOException if the Python program cannot be started
   */
  static DevRunserver start(Path python, Path projectDir, int port, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(python.toString(), "manage.py", "runserver", "127.0.0.1:" + port));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(projectDir.toFile()).inheritIO();
    // Lines as they are printed, not when a buffer fills: the developer watches this output.
    pb.environment().put("PYTHONUNBUFFERED", "1");
    return new DevRunserver(pb.start());
  }

  /** Completes with runserver's exit status when it ends on its own (or is stopped). */
  CompletableFuture<Integer> exit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** Stops runserver and its children: SIGTERM, then SIGKILL for what is left after {@link #STOP_GRACE}. */
  void stop() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        handle.destroyForcibly();
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }
}
