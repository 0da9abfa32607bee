package dev.gatehouse.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.certs.ChallengeResponses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code certs issue --standalone}: a plain HTTP listener that answers only {@code GET
 * /.well-known/acme-challenge/TOKEN} from {@link ChallengeResponses} (RFC 8555 §8.3) and 404 to everything
 * else, for machines where nothing else holds port 80 while certificates are issued. Closing it frees the
 * port.
 */
public final class StandaloneHttp01Server implements AutoCloseable {

  private static final String PREFIX = "/" + WebrootHttp01Responder.CHALLENGE_PATH + "/";

  private final HttpServer server;
  private final ChallengeResponses responses;

  private StandaloneHttp01Server(HttpServer server, ChallengeResponses responses) {
    this.server = server;
    this.responses = responses;
  }

  /**
   * Listens on {@code address} until closed.
   *
   * @throws IOException when the port is taken or not allowed (ports below 1024 need root or
   *     CAP_NET_BIND_SERVICE)
   */
  public static StandaloneHttp01Server start(InetSocketAddress address, ChallengeResponses responses)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    StandaloneHttp01Server standalone = new StandaloneHttp01Server(server, responses);
    server.createContext("/", standalone::answer);
    server.start();
    return standalone;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      boolean get = exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
      Optional<String> body =
          get && path.startsWith(PREFIX) ? responses.http01(path.substring(PREFIX.length())) : Optional.empty();
      if (body.isEmpty()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = body.get().getBytes(StandardCharsets.US_ASCII);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
