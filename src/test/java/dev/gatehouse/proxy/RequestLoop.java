package dev.gatehouse.proxy;

import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A client sending {@code GET /echo/} over a new TLS connection (a new handshake) again and again. */
final class RequestLoop {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final int port;
  private final Path caPem;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicInteger completed = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private Thread thread;

  RequestLoop(int port, Path caPem) {
    this.port = port;
    this.caPem = caPem;
  }

  void start() {
    running.set(true);
    thread = new Thread(this::run, "request-loop");
    thread.start();
  }

  private void run() {
    while (running.get()) {
      try {
        RawResponse r = RawHttp.tls(port, "app.test", caPem).exchange(RawHttp.get("app.test", "/echo/"));
        if (r.status() != 200) {
          failures.add("HTTP " + r.status() + ": " + r.bodyText());
        }
      } catch (RuntimeException e) {
        failures.add(e.toString());
      }
      completed.incrementAndGet();
    }
  }

  /** Waits until at least {@code count} requests have completed. */
  void awaitRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (completed.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + completed.get() + " of " + count + " requests in " + WAIT);
      }
      Thread.sleep(10);
    }
  }

  int completed() {
    return completed.get();
  }

  void stop() throws InterruptedException {
    running.set(false);
    thread.join(WAIT.toMillis());
  }

  List<String> failures() {
    return failures;
  }
}
