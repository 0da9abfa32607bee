package dev.gatehouse.proxy;

import dev.gatehouse.config.AccessLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One line per request ({@code --access-log FILE|-|off}). Event loops only enqueue (never block: when the
 * queue is full the line is dropped and counted); a daemon thread writes and flushes when the queue runs dry.
 */
final class AccessLogWriter implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AccessLogWriter.class.getName());
  /** Lines waiting to be written before new ones are dropped; about a second of a busy server. */
  static final int QUEUE_CAPACITY = 16_384;

  private final AccessLog where;
  private final Writer out;
  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  private AccessLogWriter(AccessLog where, Writer out) {
    this.where = where;
    this.out = out;
    if (out == null) {
      thread = null;
      return;
    }
    thread = new Thread(this::drain, "gatehouse-access-log");
    thread.setDaemon(true);
    thread.start();
  }

  /** Opens the destination (blocking: call at start or reload, not on an event loop). */
  static AccessLogWriter open(AccessLog where) throws IOException {
    if (where instanceof AccessLog.ToFile file) {
      Writer w =
          Files.newBufferedWriter(
              file.file(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return new AccessLogWriter(where, w);
    }
    if (where instanceof AccessLog.Stdout) {
      PrintStream stdout = System.out;
      return new AccessLogWriter(where, new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)));
    }
    return new AccessLogWriter(where, null);
  }

  AccessLog where() {
    return where;
  }

  boolean enabled() {
    return out != null;
  }

  /** Queues one line; never blocks. */
  void log(String line) {
    if (out != null && !closed && !queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  private void drain() {
    try {
      while (!closed || !queue.isEmpty()) {
        String line = queue.poll(200, TimeUnit.MILLISECONDS);
        if (line == null) {
          continue;
        }
        out.write(line);
        out.write('\n');
        if (queue.isEmpty()) {
          long lost = dropped.getAndSet(0);
          if (lost > 0) {
            out.write("gatehouse: " + lost + " access log lines dropped (writer too slow)\n");
          }
          out.flush();
        }
      }
      out.flush();
    } catch (IOException e) {
      LOG.log(Level.ERROR, "access log " + describe(where) + ": " + e.getMessage() + "; no more lines are written");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(AccessLog where) {
    return where instanceof AccessLog.ToFile f ? f.file().toString() : "stdout";
  }

  /** Writes what is queued, then closes a file (standard output stays open). */
  @Override
  public void close() {
    closed = true;
    if (thread == null) {
      return;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
      if (where instanceof AccessLog.ToFile) {
        out.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "access log " + describe(where) + ": " + e.getMessage());
    }
  }
}
