package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RawHttp against a one-shot loopback server that answers with fixed bytes. */
class RawHttpTest {

  @Test
  void decodesChunkedBodyAndKeepsRawBytes() throws Exception {
    String answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n"
        + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
    try (OneShotServer server = new OneShotServer(answer)) {
      RawResponse response = RawHttp.plain(server.port()).exchange(RawHttp.get("app.test", "/x"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo("hello, world");
      assertThat(response.headers().all("SET-COOKIE")).containsExactly("a=1", "b=2");
      assertThat(response.rawText()).isEqualTo(answer);
      assertThat(server.received()).startsWith("GET /x HTTP/1.1\r\nHost: app.test\r\n");
    }
  }

  @Test
  void headResponseHasNoBodyDespiteContentLength() throws Exception {
    try (OneShotServer server = new OneShotServer("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n")) {
      RawResponse response = RawHttp.plain(server.port())
          .exchange("HEAD / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

      assertThat(response.header("content-length")).isEqualTo("12");
      assertThat(response.body()).isEmpty();
    }
  }

  @Test
  void bodyWithoutLengthRunsToClose() throws Exception {
    try (OneShotServer server = new OneShotServer("HTTP/1.0 400 Bad Request\r\n\r\nno length")) {
      RawResponse response = RawHttp.plain(server.port()).exchange("GARBAGE\r\n\r\n");

      assertThat(response.statusLine()).isEqualTo("HTTP/1.0 400 Bad Request");
      assertThat(response.bodyText()).isEqualTo("no length");
    }
  }

  /** Accepts one connection, reads the request head, writes {@code answer}, closes. */
  private static final class OneShotServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final CompletableFuture<String> received = new CompletableFuture<>();

    OneShotServer(String answer) throws IOException {
      Thread thread = new Thread(() -> serve(answer), "one-shot-server");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve(String answer) {
      try (Socket client = socket.accept()) {
        InputStream in = client.getInputStream();
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b == -1) {
            break;
          }
          request.append((char) b);
        }
        received.complete(request.toString());
        client.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        received.completeExceptionally(e);
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    String received() throws Exception {
      return received.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
