package dev.gatehouse.proxy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Small static files recently served, with what was found about them, so that a hot file is answered on the
 * event loop without a trip to the file threads (path checks, stat, open, read, close). Like nginx's {@code
 * open_file_cache}, but with its bytes.
 *
 * <p>Freshness: an entry is used for {@link #VALID} after the stat that found it began; after that the next
 * request goes to the file threads again and replaces it. A file changed, replaced or deleted on disk (a
 * {@code --static /media/} mount) is therefore served as it is now to every request that starts more than
 * {@code VALID} after the change.
 *
 * <p>Thread safety: {@link #fresh} is lock-free and never blocks (event loops call it); {@link #put} takes
 * this cache's lock and runs on the file threads only.
 */
final class StaticFileCache {

  /**
   * How long a file's metadata and bytes are reused without looking at the disk again. nginx's {@code
   * open_file_cache_valid} defaults to 60 s; one second keeps an edited file's delay below what a person
   * notices, and at the request rates where the cache matters (thousands a second) one look at the disk per
   * file and second costs nothing.
   */
  static final Duration VALID = Duration.ofSeconds(1);

  private static final long VALID_NANOS = VALID.toNanos();

  /** Files up to one body piece are kept: a larger one is streamed, and its encryption dwarfs the lookup. */
  static final int MAX_FILE_BYTES = StaticFileExchange.CHUNK_BYTES;

  /**
   * Bytes of file content held at most, all entries together: the CSS, JavaScript and icons of a Django site's
   * pages (the admin's own static files are about 1.5 MiB uncompressed) fit several times over, and it is
   * small beside the heap Gatehouse runs in.
   */
  static final long MAX_BYTES = 16L << 20;

  /** Entries at most, whatever their size: bounds the metadata of many tiny (or empty) files. */
  static final int MAX_ENTRIES = 2048;

  /**
   * What decides the answer besides the disk: the file (mount directory and path below it), which
   * precompressed codings the client accepts ({@link StaticFiles#acceptedCodings}), and whether it asked for
   * a range (which gets the file itself).
   */
  record Key(Path directory, String path, int acceptedCodings, boolean range) {}

  /**
   * A file as found: its representation and its whole content (read-only, shared by every response that
   * sends it), and when the stat that found it began ({@link System#nanoTime} scale).
   */
  record Entry(StaticFiles.Representation representation, ByteBuffer content, long statNanos) {}

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private long bytes;

  StaticFileCache() {
    this(System::nanoTime);
  }

  /** With a clock of its own, for tests. */
  StaticFileCache(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The reading of "now" to stamp an entry with: take it before the stat. */
  long now() {
    return nanoClock.getAsLong();
  }

  /** The entry for {@code key} if it is younger than {@link #VALID}; null otherwise. Never blocks. */
  Entry fresh(Key key) {
    Entry entry = entries.get(key);
    if (entry == null || nanoClock.getAsLong() - entry.statNanos() >= VALID_NANOS) {
      return null;
    }
    return entry;
  }

  /**
   * Keeps {@code entry} (if its file is small enough), dropping the entries found longest ago (stale ones
   * first, as they are the oldest) until the cache is within {@link #MAX_BYTES} and {@link #MAX_ENTRIES}.
   * File threads only.
   */
  synchronized void put(Key key, Entry entry) {
    int size = entry.content().remaining();
    if (size > MAX_FILE_BYTES) {
      return;
    }
    Entry old = entries.put(key, entry);
    bytes += size - (old == null ? 0 : old.content().remaining());
    if (bytes <= MAX_BYTES && entries.size() <= MAX_ENTRIES) {
      return;
    }
    while (bytes > MAX_BYTES || entries.size() > MAX_ENTRIES) {
      Map.Entry<Key, Entry> oldest = null;
      for (Map.Entry<Key, Entry> e : entries.entrySet()) {
        if (oldest == null || e.getValue().statNanos() - oldest.getValue().statNanos() < 0) {
          oldest = e;
        }
      }
      entries.remove(oldest.getKey());
      bytes -= oldest.getValue().content().remaining();
    }
  }

  /** Bytes of file content held now. */
  synchronized long bytes() {
    return bytes;
  }

  int size() {
    return entries.size();
  }
}
