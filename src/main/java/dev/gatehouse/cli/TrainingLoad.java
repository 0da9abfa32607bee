package dev.gatehouse.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The load {@code train-startup} puts on its second server, so that a JDK 25 AOT cache carries the method
 * profiles of the paths a proxy runs hot (JEP 515), not only the classes a start loads (JEP 483): HTTP/1.1
 * keep-alive and HTTP/2 requests to the app, static files, and new TLS connections with their handshakes. A
 * JVM that starts from those profiles compiles those methods with C2 at once instead of after seconds of
 * profiling under real traffic (on one core that moves C2's work earlier rather than removing it: BENCHMARKS.md,
 * "Warm-up, tail latency and memory"). Each kind runs until its count has been answered, with {@link #IN_FLIGHT}
 * at a time as a busy server sees.
 */
final class TrainingLoad {

  /** Requests of each kind: enough for the per-request methods to be profiled (C1 tier 3) and most compiled by C2. */
  static final int REQUESTS_PER_KIND = 5_000;

  /** New TLS connections: each a full handshake, the costly part; fewer are needed. */
  static final int HANDSHAKES = 250;

  /** Requests in flight at once, as concurrent clients. */
  static final int IN_FLIGHT = 16;

  /** The whole load gives up after this long (a very slow or loaded machine): the profiles are then thinner. */
  static final Duration TIME_LIMIT = Duration.ofSeconds(60);

  private final SSLContext tls;
  private final String base;
  private final long deadline;

  TrainingLoad(SSLContext tls, String base) {
    this.tls = tls;
    this.base = base;
    this.deadline = System.nanoTime() + TIME_LIMIT.toNanos();
  }

  /** Runs every kind; a request answered other than 200 or failing fails the training (false). */
  boolean run(String staticPath) throws InterruptedException {
    HttpClient h1 = client(HttpClient.Version.HTTP_1_1);
    HttpClient h2 = client(HttpClient.Version.HTTP_2);
    HttpRequest page = HttpRequest.newBuilder(URI.create(base + "/")).build();
    HttpRequest file = HttpRequest.newBuilder(URI.create(base + staticPath)).build();
    return repeat(h1, List.of(page), REQUESTS_PER_KIND)
        && repeat(h2, List.of(page), REQUESTS_PER_KIND)
        && repeat(h1, List.of(file), REQUESTS_PER_KIND / 4)
        && repeat(h2, List.of(file), REQUESTS_PER_KIND / 4)
        && handshakes(page);
  }

  /** {@code count} requests on one client's connections, {@link #IN_FLIGHT} at a time. */
  private boolean repeat(HttpClient client, List<HttpRequest> requests, int count) throws InterruptedException {
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<?>[] window = new CompletableFuture<?>[IN_FLIGHT];
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      int slot = i % IN_FLIGHT;
      if (window[slot] != null && !await(window[slot])) {
        return false;
      }
      HttpRequest request = requests.get(i % requests.size());
      window[slot] = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .thenAccept(response -> check(request, response, failures));
    }
    for (CompletableFuture<?> pending : window) {
      if (pending != null && !await(pending)) {
        return false;
      }
    }
    return failures.get() == 0;
  }

  /** New connections, each with its full TLS handshake: a client per connection. */
  private boolean handshakes(HttpRequest request) throws InterruptedException {
    AtomicInteger failures = new AtomicInteger();
    for (int i = 0; i < HANDSHAKES && System.nanoTime() < deadline; i++) {
      try {
        check(request, client(HttpClient.Version.HTTP_1_1).send(request, HttpResponse.BodyHandlers.discarding()),
            failures);
      } catch (IOException e) {
        System.err.println("train-startup: " + request.uri() + " on a new connection failed: " + e);
        return false;
      }
    }
    return failures.get() == 0;
  }

  private boolean await(CompletableFuture<?> pending) throws InterruptedException {
    try {
      pending.get(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("train-startup: a request under load failed: " + e);
      return false;
    }
  }

  private static void check(HttpRequest request, HttpResponse<?> response, AtomicInteger failures) {
    if (response.statusCode() != 200 && failures.getAndIncrement() == 0) {
      System.err.println("train-startup: " + request.uri() + " over " + response.version() + " answered "
          + response.statusCode() + ", expected 200");
    }
  }

  private HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
