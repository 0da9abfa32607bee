package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that sends its response head and holds the body back (streaming, server-sent events, a slow
 * report) must have the head reach the client at once: Gatehouse writes a head together with the body when
 * both arrive in one read, but never waits for a body to send the head.
 */
class StreamedResponseIT {

  @Test
  void headReachesTheClientWhileTheBodyIsHeldBack(@TempDir Path dir) throws Exception {
    TestCert ca = TestCerts.ca("Gatehouse IT Root");
    Path caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test"), TestConfigs.key(TestCerts.forNames("app.test").signedBy(ca).issue()));
    CountDownLatch clientHasHead = new CountDownLatch(1);

    try (ServerSocket app = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answerHeadThenBody(app, clientHasHead));
      Optional<Upstream> upstream = Optional.of(new Upstream.Tcp("127.0.0.1", app.getLocalPort()));
      List<SiteConfig> sites = List.of(TestConfigs.site(List.of("app.test"), upstream, List.of()));
      ServeConfig config = TestConfigs.serve(sites, 0, 0, dir.resolve("state"));
      try (GatehouseServer server = GatehouseServer.start(config, certificates, new ChallengeResponses());
          RawHttp.Connection client =
              RawHttp.tls(server.httpsPort(), "app.test", caPem).timeout(Duration.ofSeconds(10)).open()) {
        client.send("GET /events HTTP/1.1\r\nHost: app.test:" + server.httpsPort() + "\r\nConnection: close\r\n\r\n");

        // Read as a head only: the body is not sent until the client has the head.
        RawResponse head = client.readResponse(true);
        clientHasHead.countDown();

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("4");
        assertThat(new String(client.readToClose(), StandardCharsets.ISO_8859_1)).isEqualTo("done");
      } finally {
        clientHasHead.countDown();
      }
      served.get(10, TimeUnit.SECONDS);
    }
  }

  /** One request: the head at once, the body only after the client has read the head (or 10 s). */
  private static void answerHeadThenBody(ServerSocket app, CountDownLatch clientHasHead) {
    try (Socket s = app.accept()) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        request.write(b);
      }
      OutputStream out = s.getOutputStream();
      String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      clientHasHead.await(10, TimeUnit.SECONDS);
      out.write("done".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
