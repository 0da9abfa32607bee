package dev.gatehouse.certs;

import dev.gatehouse.store.Storage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A {@link Storage#watch} that does not give up when the storage is unreachable as it starts (a node started
 * during a database outage): it tries again every {@link #RETRY} on a daemon thread of its own until the watch
 * is established, then runs {@code caughtUp}, so the caller reads what changed while it was not watching.
 * Safe for concurrent use; {@link #close} stops the retries and the watch.
 */
public final class RetryingWatch implements Storage.Subscription {

  private static final Logger LOG = Logger.getLogger(RetryingWatch.class.getName());

  /** As often as the storage contract's bound on reporting a change. */
  static final Duration RETRY = Duration.ofSeconds(5);

  private final Storage storage;
  private final String prefix;
  private final Consumer<String> changedKey;
  private final ScheduledExecutorService retries;
  private Storage.Subscription subscription;
  private boolean closed;

  private RetryingWatch(Storage storage, String prefix, Consumer<String> changedKey) {
    this.storage = storage;
    this.prefix = prefix;
    this.changedKey = changedKey;
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "gatehouse-watch-retry " + prefix);
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Watches {@code prefix} now if the storage answers, else from the first retry that succeeds.
   *
   * @param caughtUp run after a watch established by a retry (not after one established at once)
   */
  public static RetryingWatch start(Storage storage, String prefix, Consumer<String> changedKey, Runnable caughtUp) {
    RetryingWatch watch = new RetryingWatch(storage, prefix, changedKey);
    if (!watch.trySubscribe()) {
      LOG.fine("cannot watch " + prefix + " yet (storage unreachable); trying every " + RETRY.toSeconds() + " s");
      watch.retries.scheduleWithFixedDelay(
          () -> {
            if (watch.trySubscribe()) {
              watch.retries.shutdown();
              caughtUp.run();
            }
          },
          RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      watch.retries.shutdown();
    }
    return watch;
  }

  private synchronized boolean trySubscribe() {
    if (closed) {
      return true;
    }
    try {
      subscription = storage.watch(prefix, changedKey);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    retries.shutdownNow();
    if (subscription != null) {
      subscription.close();
    }
  }
}
