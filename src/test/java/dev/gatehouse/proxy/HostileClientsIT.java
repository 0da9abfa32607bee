package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.StreamedPrefix;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and greedy clients against small configured timeouts (1 s): slowloris heads, stalled bodies, and a
 * 1 KiB/s upload that must not hold Gunicorn's one sync worker; uploads under the streamed prefix {@value
 * #STREAMED} reach Django while the client still sends; bodies spilled to disk stay in the state directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** How long a test client waits for the close that the 1 s timeout must cause. */
  private static final Duration CLIENT_PATIENCE = Duration.ofSeconds(8);

  /** The one path prefix whose request bodies are streamed ({@code --stream-requests}). */
  private static final String STREAMED = "/stream/";

  private RecordingUpstream recording;
  private DjangoApp django;
  private GatehouseServer server;
  private Path caPem;
  private Path bodyFiles;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    bodyFiles = Files.createDirectories(dir.resolve("state").resolve("tmp"));
    Files.writeString(bodyFiles.resolve("body-from-a-crash.tmp"), "half of an upload from before a crash");
    recording = new RecordingUpstream();
    django = DjangoApp.builder(DjangoVersion.VENV_52).gunicorn().unixSocket().workers(1).start();
    TestCert ca = TestCerts.ca("Gatehouse hostile root");
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test", "django.test"),
        TestConfigs.key(TestCerts.forNames("app.test", "django.test").signedBy(ca).issue()));
    Limits limits = Limits.DEFAULTS
        .withTimeout("header_read_timeout", TIMEOUT)
        .withTimeout("body_idle_timeout", TIMEOUT)
        .withMaxConnectionsPerIp(20)
        .withStreamedPrefixes(List.of(StreamedPrefix.parse("--stream-requests", STREAMED)));
    var sites = List.of(
        TestConfigs.site(List.of("app.test"), Optional.of(new Upstream.Tcp("127.0.0.1", recording.port())), List.of()),
        TestConfigs.site(List.of("django.test"), Optional.of(new Upstream.UnixSocket(django.socket())), List.of()));
    server = GatehouseServer.start(
        TestConfigs.serve(sites, 0, 0, dir.resolve("state"), limits, List.of(), dev.gatehouse.config.HstsPolicy.DEFAULT),
        certificates, new ChallengeResponses());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close(Duration.ZERO);
    }
    recording.close();
    django.close();
  }

  private RawHttp tls(String host) {
    return RawHttp.tls(server.httpsPort(), host, caPem).alpn("http/1.1").timeout(CLIENT_PATIENCE);
  }

  @Test
  void slowlorisConnectionsAreAllClosedByTheHeaderTimeout() {
    List<RawHttp.Connection> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        RawHttp.Connection c = tls("app.test").open();
        c.send("GET /slowloris HTTP/1.1\r\nHost: app.test\r\nX-Dribble-" + i + ": ");
        slow.add(c);
      }
      for (RawHttp.Connection c : slow) {
        assertThat(c.serverClosed()).as("closed by the header read timeout").isTrue();
      }
    } finally {
      slow.forEach(RawHttp.Connection::close);
    }
    assertThat(recording.requests()).noneMatch(r -> r.contains("/slowloris"));
  }

  @Test
  void dribblingHeadIsClosedThoughBytesKeepComing() throws Exception {
    try (RawHttp.Connection c = tls("app.test").open()) {
      c.send("GET /dribble HTTP/1.1\r\nHost: app.test\r\n");
      boolean closed = false;
      for (int i = 0; i < 40 && !closed; i++) {
        try {
          c.send("X-" + i + ": v\r\n");
          Thread.sleep(200);
        } catch (UncheckedIOException e) {
          closed = true;
        }
      }
      assertThat(closed || c.serverClosed()).as("closed although a header line came every 200 ms").isTrue();
    }
    assertThat(recording.requests()).noneMatch(r -> r.contains("/dribble"));
  }

  @Test
  void idleConnectionWithoutARequestIsClosed() {
    try (RawHttp.Connection c = tls("app.test").open()) {
      assertThat(c.serverClosed()).isTrue();
    }
  }

  @Test
  void aSlowAppAndAnIdleKeepAliveAreNotCutByTheHeaderTimeout() throws Exception {
    RawResponse slow = tls("django.test").exchange(RawHttp.get("django.test", "/slow/?seconds=2"));
    assertThat(slow.status()).as("a view taking twice the header timeout").isEqualTo(200);

    try (RawHttp.Connection c = tls("app.test").open()) {
      c.send("GET /keep-1 HTTP/1.1\r\nHost: app.test\r\n\r\n");
      assertThat(c.readResponse().status()).isEqualTo(200);
      Thread.sleep(TIMEOUT.toMillis() * 2);
      c.send("GET /keep-2 HTTP/1.1\r\nHost: app.test\r\n\r\n");
      assertThat(c.readResponse().status()).as("same connection after twice the header timeout").isEqualTo(200);
    }
  }

  @Test
  void stalledBodyIsClosedAndNeverForwarded() {
    try (RawHttp.Connection c = tls("app.test").open()) {
      c.send("POST /stalled HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\nonly ten..");
      assertThat(c.serverClosed()).as("closed by the body idle timeout").isTrue();
    }
    assertThat(recording.requests()).noneMatch(r -> r.contains("/stalled"));
  }

  @Test
  void connectionsOverThePerAddressCapAreClosed() {
    List<RawHttp.Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        open.add(tls("app.test").open());
      }
      assertThat(catchClosed(() -> tls("app.test").open())).as("the 21st connection is refused").isTrue();
    } finally {
      open.forEach(RawHttp.Connection::close);
    }
  }

  private static boolean catchClosed(java.util.function.Supplier<RawHttp.Connection> connect) {
    try (RawHttp.Connection c = connect.get()) {
      return c.serverClosed();
    } catch (UncheckedIOException e) {
      return true;
    }
  }

  @Test
  void slowUploadHoldsNoGunicornWorker() throws Exception {
    byte[] body = new byte[8 << 10];
    java.util.Arrays.fill(body, (byte) 'u');
    CompletableFuture<RawResponse> upload = CompletableFuture.supplyAsync(() -> {
      try (RawHttp.Connection c = RawHttp.tls(server.httpsPort(), "django.test", caPem).alpn("http/1.1")
          .timeout(Duration.ofSeconds(30)).open()) {
        c.send("POST /upload/ HTTP/1.1\r\nHost: django.test\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n");
        for (int at = 0; at < body.length; at += 256) {
          c.send(java.util.Arrays.copyOfRange(body, at, at + 256));
          Thread.sleep(250);
        }
        return c.readResponse();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      Thread.sleep(1000);
      for (int i = 0; i < 3; i++) {
        RawResponse echo = RawHttp.tls(server.httpsPort(), "django.test", caPem).alpn("http/1.1")
            .timeout(Duration.ofSeconds(5)).exchange(RawHttp.get("django.test", "/echo/"));
        assertThat(echo.status()).as("answered while the 1 KiB/s upload is running").isEqualTo(200);
        assertThat(upload).as("the upload is still running").isNotDone();
      }
    } finally {
      RawResponse uploaded = upload.get(60, TimeUnit.SECONDS);
      assertThat(uploaded.status()).isEqualTo(200);
      assertThat(uploaded.bodyText()).contains("\"size\": " + body.length);
    }
  }

  @Test
  void uploadUnderAStreamedPrefixReachesDjangoWhileTheClientIsStillSending() {
    try (RawHttp.Connection c = tls("django.test").timeout(Duration.ofSeconds(30)).open()) {
      c.send("POST " + STREAMED + "first-bytes/?bytes=1024 HTTP/1.1\r\nHost: django.test\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: 65536\r\nConnection: close\r\n\r\n");
      c.send(new byte[1024]);
      // 64,512 bytes of the body are still unsent: only a streamed body can have reached the view by now.
      RawResponse early = c.readResponse();
      assertThat(early.status()).isEqualTo(200);
      assertThat(early.bodyText()).contains("\"read\": 1024").contains("\"content_length\": \"65536\"");
    }
  }

  @Test
  void theSameViewOutsideTheStreamedPrefixSeesTheWholeBodyFirst() throws Exception {
    try (RawHttp.Connection c = tls("django.test").timeout(Duration.ofSeconds(30)).open()) {
      c.send("POST /first-bytes/?bytes=1024 HTTP/1.1\r\nHost: django.test\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: 65536\r\nConnection: close\r\n\r\n");
      c.send(new byte[1024]);
      CompletableFuture<RawResponse> answer = CompletableFuture.supplyAsync(c::readResponse);
      // A streamed body is answered as soon as its first KiB is in; a buffered one only after the last byte.
      // The body keeps coming every 250 ms, under the 1 s body idle timeout.
      for (int sent = 1024; sent < 8 * 1024; sent += 1024) {
        Thread.sleep(250);
        assertThat(answer).as("answered after " + sent + " of 65536 bytes").isNotDone();
        c.send(new byte[1024]);
      }
      c.send(new byte[65536 - 8 * 1024]);
      RawResponse late = answer.join();
      assertThat(late.status()).isEqualTo(200);
      assertThat(late.bodyText()).contains("\"read\": 1024");
    }
    assertThat(recordedBodyFiles()).isEmpty();
  }

  @Test
  void aBodyPastTheMemoryThresholdWaitsInAPrivateFileOfTheStateDirectoryThenGoes() throws Exception {
    assertThat(bodyFiles.resolve("body-from-a-crash.tmp")).as("a leftover is removed at start").doesNotExist();
    int size = Limits.DEFAULT_BODY_MEMORY_BYTES + (512 << 10);
    try (RawHttp.Connection c = tls("django.test").timeout(Duration.ofSeconds(30)).open()) {
      c.send("POST /upload/ HTTP/1.1\r\nHost: django.test\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: " + size + "\r\nConnection: close\r\n\r\n");
      c.send(new byte[size - 1]);
      List<Path> inFlight = awaitBodyFile();
      assertThat(inFlight).hasSize(1);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inFlight.get(0)))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bodyFiles))).isEqualTo("rwx------");
      c.send(new byte[1]);
      RawResponse uploaded = c.readResponse();
      assertThat(uploaded.status()).isEqualTo(200);
      assertThat(uploaded.bodyText()).contains("\"size\": " + size);
    }
    awaitNoBodyFile();
    assertThat(recordedBodyFiles()).as("deleted once forwarded").isEmpty();
  }

  private List<Path> recordedBodyFiles() {
    try (Stream<Path> files = Files.list(bodyFiles)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls (the file is written off the event loop) until the in-flight body's file shows up. */
  private List<Path> awaitBodyFile() throws InterruptedException {
    for (int i = 0; i < 200 && recordedBodyFiles().isEmpty(); i++) {
      Thread.sleep(50);
    }
    return recordedBodyFiles();
  }

  /** Polls until the deletion, which runs on the file executor after the response, has happened. */
  private void awaitNoBodyFile() throws InterruptedException {
    for (int i = 0; i < 200 && !recordedBodyFiles().isEmpty(); i++) {
      Thread.sleep(50);
    }
  }

  @Test
  void aStalledHttp2BodyUnderTheStreamedPrefixIsResetByTheBodyIdleTimeout() throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(server.httpsPort(), "app.test", caPem, 1 << 16).startReading()) {
      c.send(Http2FrameClient.frame(Http2FrameClient.HEADERS, Http2FrameClient.END_HEADERS, 1,
          Http2FrameClient.requestBlock("POST", STREAMED + "h2-pause", "app.test",
              Http2FrameClient.field("content-length", "100"))));
      c.send(Http2FrameClient.frame(Http2FrameClient.DATA, 0, 1, new byte[10]));
      for (int i = 0; i < CLIENT_PATIENCE.toMillis() / 50 && !c.resetStreams().contains(1) && !c.ended(); i++) {
        Thread.sleep(50);
      }
      assertThat(c.resetStreams()).as("stream reset after 10 of 100 body bytes, then nothing").contains(1);
    }
  }
}
