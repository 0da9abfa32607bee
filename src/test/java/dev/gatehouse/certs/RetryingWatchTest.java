package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryingWatchTest {

  @TempDir Path dir;

  /** A real file store whose backend is "down" (every watch refused) until {@link #up}. */
  private static final class OutageStorage implements Storage {
    private final FileStorage files;
    private volatile boolean down = true;

    OutageStorage(FileStorage files) {
      this.files = files;
    }

    void up() {
      down = false;
    }

    @Override
    public Optional<byte[]> load(String key) throws IOException {
      return files.load(key);
    }

    @Override
    public void store(String key, byte[] data, boolean secret) throws IOException {
      files.store(key, data, secret);
    }

    @Override
    public void delete(String key) throws IOException {
      files.delete(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return files.list(prefix);
    }

    @Override
    public Lock lock(String name, Duration maxWait) throws IOException {
      return files.lock(name, maxWait);
    }

    @Override
    public Subscription watch(String prefix, Consumer<String> changedKey) throws IOException {
      if (down) {
        throw new StorageUnavailableException("database unreachable", null);
      }
      return files.watch(prefix, changedKey);
    }
  }

  @Test
  void aWatchStartedDuringAnOutageIsEstablishedOnceTheStorageIsBackAndCatchesUp() throws Exception {
    OutageStorage storage = new OutageStorage(new FileStorage(dir));
    List<String> changed = new CopyOnWriteArrayList<>();
    CountDownLatch caughtUp = new CountDownLatch(1);

    RetryingWatch watch = RetryingWatch.start(storage, "live/", changed::add, caughtUp::countDown);
    try {
      storage.up();
      assertThat(caughtUp.await(30, TimeUnit.SECONDS)).as("caught up after the outage").isTrue();

      storage.store("live/app.test/cert.pem", new byte[] {1}, false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!changed.contains("live/app.test/cert.pem")) {
        assertThat(System.nanoTime()).as("change reported").isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      watch.close();
    }
  }

  @Test
  void aWatchThatStartsAtOnceNeedsNoCatchingUp() throws Exception {
    OutageStorage storage = new OutageStorage(new FileStorage(dir));
    storage.up();
    CountDownLatch caughtUp = new CountDownLatch(1);

    RetryingWatch.start(storage, "live/", key -> {}, caughtUp::countDown).close();

    assertThat(caughtUp.getCount()).isEqualTo(1);
  }
}
