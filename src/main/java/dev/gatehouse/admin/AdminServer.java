package dev.gatehouse.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.config.AdminListener;
import dev.gatehouse.proxy.RequestObserver;
import dev.gatehouse.proxy.TlsHandshakeObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin listener: {@code /metrics}, {@code /status}, {@code /status.json}, {@code /healthz},
 * {@code /readyz}, on its own address ({@code --admin}), read-only.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} with one thread of its own rather than on Netty: it
 * serves a scrape every few seconds, and {@code /readyz} probes the app servers with blocking sockets, which
 * must never happen on the proxy's event loops. One thread bounds what it can cost: concurrent admin
 * requests queue.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());

  private final HttpServer http;
  private final ExecutorService thread;
  private final GatehouseMetrics metrics;
  private final RecentErrors recentErrors = new RecentErrors();
  private final ServedState state;
  private final Clock clock;

  private AdminServer(HttpServer http, ServedState state, String version, Clock clock) {
    this.http = http;
    this.state = state;
    this.clock = clock;
    this.metrics = new GatehouseMetrics(state, version);
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "gatehouse-admin");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(thread);
    http.createContext("/", this::handle);
  }

  /**
   * Binds {@code where} and starts answering.
   *
   * @param version the Gatehouse version, for {@code gatehouse_build_info}
   * @throws IOException one line naming {@code --admin} when the address cannot be bound
   */
  public static AdminServer start(AdminListener where, ServedState state, String version) throws IOException {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(where.host(), where.port()), 16);
    } catch (IOException e) {
      throw new IOException("--admin: cannot listen on " + where.authority() + " (" + e.getMessage()
          + "; expected: a free port, such as 127.0.0.1:9180)", e);
    }
    AdminServer server = new AdminServer(http, state, version, Clock.systemUTC());
    Logger.getLogger("").addHandler(server.recentErrors);
    http.start();
    if (!where.isLoopback()) {
      LOG.warning("admin listener on " + where.authority() + ", not loopback: /metrics and /status are readable"
          + " by anyone who reaches it; firewall it");
    }
    LOG.info("admin listener on http://" + new AdminListener(where.host(), server.port()).authority()
        + "/ (/metrics, /status, /healthz, /readyz)");
    return server;
  }

  /** The bound port (the one the OS picked for port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** What the proxy tells about each finished request. */
  public RequestObserver requestObserver() {
    return metrics.requestObserver();
  }

  /** What the proxy tells about each TLS handshake. */
  public TlsHandshakeObserver tlsHandshakeObserver() {
    return metrics.tlsHandshakeObserver();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/healthz" -> send(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        case "/readyz" -> readyz(exchange);
        case "/metrics" -> {
          ByteArrayOutputStream body = new ByteArrayOutputStream(16384);
          metrics.scrape(body);
          send(exchange, 200, metrics.contentType(), body.toByteArray());
        }
        case "/status", "/" -> send(exchange, 200, "text/html; charset=utf-8", StatusPage.render(report()));
        case "/status.json" -> {
          ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
          StatusJson.write(report(), body);
          send(exchange, 200, "application/json", body.toByteArray());
        }
        default -> send(exchange, 404, "text/plain; charset=utf-8",
            "not found; the admin listener serves /metrics, /status, /status.json, /healthz and /readyz\n");
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "admin request " + exchange.getRequestURI() + " failed: " + e);
    }
  }

  private void readyz(HttpExchange exchange) throws IOException {
    List<String> reasons = report().unreadyReasons();
    if (reasons.isEmpty()) {
      send(exchange, 200, "text/plain; charset=utf-8", "ready\n");
    } else {
      send(exchange, 503, "text/plain; charset=utf-8", "not ready\n" + String.join("\n", reasons) + "\n");
    }
  }

  private StatusReport report() {
    return StatusReport.gather(state, recentErrors, clock.instant());
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    // The status page needs no script, image or frame: a value that slipped past escaping could run nothing.
    exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops answering (in-flight admin requests get a second) and leaves the log alone. */
  @Override
  public void close() {
    Logger.getLogger("").removeHandler(recentErrors);
    http.stop(1);
    thread.shutdownNow();
  }
}
