package dev.gatehouse.store;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Storage.Subscription} that compares snapshots of {@code key → version} every period and reports
 * each key whose version changed, appeared or disappeared. Runs on its own daemon thread; a snapshot that fails
 * (the backend is away) is skipped and the next one is compared with the last good one, so changes made during
 * an outage are reported once it ends.
 */
final class PollingWatch implements Storage.Subscription {

  /** Reads the current version of every key under the watched prefix. */
  @FunctionalInterface
  interface Snapshot {
    Map<String, String> take() throws IOException;
  }

  private static final System.Logger LOG = System.getLogger(PollingWatch.class.getName());

  private final ScheduledExecutorService thread;
  private final Snapshot snapshot;
  private final Consumer<String> changedKey;
  private Map<String, String> last;

  private PollingWatch(String threadName, Snapshot snapshot, Consumer<String> changedKey, Map<String, String> first) {
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, threadName);
              t.setDaemon(true);
              return t;
            });
    this.snapshot = snapshot;
    this.changedKey = changedKey;
    this.last = first;
  }

  /**
   * Takes the first snapshot now (so every later change is reported), then one every {@code period}. When the
   * backend is unreachable now, the first snapshot that succeeds later reports every key.
   */
  static PollingWatch start(String threadName, Duration period, Snapshot snapshot, Consumer<String> changedKey)
      throws IOException {
    Map<String, String> first;
    try {
      first = snapshot.take();
    } catch (StorageUnavailableException e) {
      // Started during an outage: every key is reported once the backend answers, which is what changed.
      first = Map.of();
    }
    PollingWatch watch = new PollingWatch(threadName, snapshot, changedKey, first);
    watch.thread.scheduleWithFixedDelay(watch::poll, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  /** Runs {@code task} on this watch's thread, so its callbacks stay one at a time with the polls. */
  void execute(Runnable task) {
    if (!thread.isShutdown()) {
      try {
        thread.execute(task);
      } catch (RejectedExecutionException e) {
        // Closed between the check and the call: a closed watch reports nothing.
      }
    }
  }

  private void poll() {
    Map<String, String> now;
    try {
      now = snapshot.take();
    } catch (IOException | RuntimeException e) {
      return;
    }
    Set<String> keys = new HashSet<>(last.keySet());
    keys.addAll(now.keySet());
    Map<String, String> before = last;
    last = now;
    keys.stream()
        .sorted()
        .filter(key -> !Objects.equals(before.get(key), now.get(key)))
        .forEach(this::report);
  }

  private void report(String key) {
    try {
      changedKey.accept(key);
    } catch (RuntimeException e) {
      // One failed callback must not end the watch (a scheduled task that throws is never run again).
      LOG.log(System.Logger.Level.WARNING, "storage watch: handling a change of " + key + " failed: " + e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
