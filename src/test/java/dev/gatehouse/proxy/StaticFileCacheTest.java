package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StaticFileCacheTest {

  private static final Path ROOT = Path.of("/srv/app/staticfiles");
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final StaticFileCache cache = new StaticFileCache(clock::get);

  private static StaticFileCache.Key key(String path) {
    return new StaticFileCache.Key(ROOT, path, 0, false);
  }

  private StaticFileCache.Entry entry(int size) {
    StaticFiles.Representation rep =
        new StaticFiles.Representation(
            ROOT.resolve("f"), "text/plain", Optional.empty(), false, size, Instant.EPOCH, "\"e\"", StaticFiles.CACHE_SHORT, new DefaultHttpHeaders());
    return new StaticFileCache.Entry(rep, ByteBuffer.allocate(size).asReadOnlyBuffer(), clock.get());
  }

  @Test
  void anEntryIsUsedUntilItsStatIsOneBoundOldThenNotAgain() {
    StaticFileCache.Entry e = entry(10);
    cache.put(key("app.css"), e);

    clock.addAndGet(StaticFileCache.VALID.toNanos() - 1);
    assertThat(cache.fresh(key("app.css"))).isSameAs(e);
    clock.addAndGet(1);
    assertThat(cache.fresh(key("app.css"))).isNull();
  }

  @Test
  void requestsThatDifferInCodingsOrRangeDoNotShareAnEntry() {
    cache.put(key("app.css"), entry(10));

    assertThat(cache.fresh(new StaticFileCache.Key(ROOT, "app.css", 1, false))).isNull();
    assertThat(cache.fresh(new StaticFileCache.Key(ROOT, "app.css", 0, true))).isNull();
    assertThat(cache.fresh(new StaticFileCache.Key(Path.of("/srv/other"), "app.css", 0, false))).isNull();
    assertThat(cache.fresh(key("app.css"))).isNotNull();
  }

  @Test
  void aFileLargerThanOnePieceIsNotKept() {
    cache.put(key("big.bin"), entry(StaticFileCache.MAX_FILE_BYTES + 1));

    assertThat(cache.fresh(key("big.bin"))).isNull();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void bytesStayBoundedAndTheOldestGoFirst() {
    int files = (int) (StaticFileCache.MAX_BYTES / StaticFileCache.MAX_FILE_BYTES) + 5;
    for (int i = 0; i < files; i++) {
      cache.put(key("f" + i), entry(StaticFileCache.MAX_FILE_BYTES));
      clock.addAndGet(1);
    }

    assertThat(cache.bytes()).isLessThanOrEqualTo(StaticFileCache.MAX_BYTES);
    assertThat(cache.fresh(key("f0"))).isNull();
    assertThat(cache.fresh(key("f" + (files - 1)))).isNotNull();
  }

  @Test
  void entriesStayBoundedEvenWhenEmpty() {
    for (int i = 0; i < StaticFileCache.MAX_ENTRIES + 10; i++) {
      cache.put(key("empty" + i), entry(0));
    }

    assertThat(cache.size()).isEqualTo(StaticFileCache.MAX_ENTRIES);
  }

  @Test
  void replacingAnEntryCountsOnlyTheNewBytes() {
    cache.put(key("app.css"), entry(100));
    cache.put(key("app.css"), entry(30));

    assertThat(cache.bytes()).isEqualTo(30);
  }
}
