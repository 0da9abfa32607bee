package dev.gatehouse.audit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted plain-HTTP server on 127.0.0.1, reached under a made-up name. */
class ProbeClientTest {
  private final List<String> requestHeads = new CopyOnWriteArrayList<>();
  private ServerSocket server;
  private Thread thread;

  /** Serves each connection with {@code answer(request head)}, one request per connection. */
  private int serve(Function<String, String> answer) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
              StandardCharsets.ISO_8859_1));
          StringBuilder head = new StringBuilder();
          for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.append(line).append('\n');
          }
          requestHeads.add(head.toString());
          OutputStream out = socket.getOutputStream();
          out.write(answer.apply(head.toString()).getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException closed) {
          return;
        }
      }
    });
    thread.start();
    return server.getLocalPort();
  }

  @AfterEach
  void stop() throws IOException, InterruptedException {
    if (server != null) {
      server.close();
      thread.join(5000);
    }
  }

  private static ProbeClient client(List<ProbeResponse> seen) {
    return new ProbeClient(new HostResolver(Map.of("app.example.test", InetAddress.getLoopbackAddress())),
        ProbeLimits.defaults(), seen::add);
  }

  @Test
  void sendsHostWithPortAndConnectionCloseToTheResolvedAddress() throws IOException {
    int port = serve(head -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    List<ProbeResponse> seen = new ArrayList<>();

    ProbeResponse response = client(seen).send(ProbeRequest.get(URI.create("http://app.example.test:" + port
        + "/a%20b?x=1&y=2")).withHeader("X-Test", "1"));

    assertThat(response.bodyText()).isEqualTo("ok");
    assertThat(seen).containsExactly(response);
    assertThat(requestHeads.get(0)).startsWith("GET /a%20b?x=1&y=2 HTTP/1.1\n")
        .contains("Host: app.example.test:" + port + "\n", "Connection: close\n", "X-Test: 1\n",
            "User-Agent: gatehouse-audit\n");
  }

  @Test
  void followsRedirectsOneHopAtATimeAndStopsAtALoop() throws IOException {
    int port = serve(head -> head.startsWith("GET /start ")
        ? "HTTP/1.1 301 Moved\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n"
        : "HTTP/1.1 302 Found\r\nLocation: http://app.example.test:" + portOf()
            + "/start\r\nContent-Length: 0\r\n\r\n");

    RedirectChain chain = client(new ArrayList<>()).follow(ProbeRequest.get(URI.create("http://app.example.test:"
        + port + "/start")));

    assertThat(chain.ending()).isEqualTo(RedirectChain.Ending.LOOP);
    assertThat(chain.hops()).extracting(ProbeResponse::status).containsExactly(301, 302);
    assertThat(chain.describe()).endsWith("/start (loop)");
  }

  @Test
  void aRefusedConnectionEndsTheChainWithTheReason() throws IOException {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }

    RedirectChain chain = client(new ArrayList<>()).follow(ProbeRequest.get(URI.create("http://app.example.test:"
        + closed + "/")));

    assertThat(chain.ending()).isEqualTo(RedirectChain.Ending.FAILED);
    assertThat(chain.hops()).isEmpty();
    assertThat(chain.failure()).hasValueSatisfying(reason -> assertThat(reason).contains("Connection refused"));
  }

  @Test
  void postsFormsWithContentLength() throws IOException {
    int port = serve(head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

    client(new ArrayList<>()).send(ProbeRequest.postForm(URI.create("http://app.example.test:" + port + "/login/"),
        Map.of("user", "a b")));

    assertThat(requestHeads.get(0)).startsWith("POST /login/ HTTP/1.1\n")
        .contains("Content-Type: application/x-www-form-urlencoded\n", "Content-Length: 8\n");
  }

  private int portOf() {
    return server.getLocalPort();
  }
}
