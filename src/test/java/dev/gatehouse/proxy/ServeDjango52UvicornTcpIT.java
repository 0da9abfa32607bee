package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.Pems;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Django 5.2 LTS under Uvicorn on TCP, what an ASGI deployment (Channels, WebSockets) runs. */
class ServeDjango52UvicornTcpIT extends AbstractServeIT {

  @Override
  DjangoApp startDjango() {
    return DjangoApp.uvicornTcp(DjangoVersion.VENV_52, Map.of());
  }

  @Override
  Upstream upstreamOf(DjangoApp app) {
    return new Upstream.Tcp("127.0.0.1", app.port());
  }

  /**
   * The JDK's WebSocket client over TLS. It cannot be told to resolve app.test, so it connects to the
   * certificate's IP address, which the site also answers to.
   */
  @Test
  void webSocketEchoesThroughGatehouse() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    HttpClient client = HttpClient.newBuilder().sslContext(Pems.trusting(caPem)).build();
    WebSocket socket =
        client
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("wss://127.0.0.1:" + https + "/ws/echo"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    received.complete(data.toString());
                    return null;
                  }

                  @Override
                  public void onError(WebSocket webSocket, Throwable error) {
                    received.completeExceptionally(error);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      socket.sendText("hello through gatehouse", true).get(10, TimeUnit.SECONDS);

      assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("hello through gatehouse");
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }
  }
}
