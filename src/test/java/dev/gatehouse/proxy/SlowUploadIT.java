package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads slower than the keep-alive timeout (1 s here): a body being buffered is a request in flight, counted
 * in {@link GatehouseServer#inFlight()}, so the keep-alive timer, which times the pause between requests, must
 * not cut it, on a fresh connection or on one that already carried a request, over HTTP/1.1 and HTTP/2. Each
 * upload sends {@value #PIECES} pieces {@value #PIECE_INTERVAL_MILLIS} ms apart (about 2.4 s), past the 64 KiB
 * memory threshold into a body file; the body idle timeout (1.5 s) still ends an upload that stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowUploadIT {

  private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
  private static final Duration BODY_IDLE = Duration.ofMillis(1500);
  /** At most one HTTP/2 DATA frame's payload under the default SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2). */
  private static final int PIECE_BYTES = 16 << 10;
  private static final int PIECES = 12;
  private static final long PIECE_INTERVAL_MILLIS = 200;
  private static final int UPLOAD_BYTES = PIECE_BYTES * PIECES;

  private RecordingUpstream recording;
  private GatehouseServer server;
  private Path caPem;
  private Path bodyFiles;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    bodyFiles = RequestBodyFiles.directory(dir.resolve("state"));
    recording = new RecordingUpstream();
    TestCert ca = TestCerts.ca("Gatehouse slow upload root");
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test"), TestConfigs.key(TestCerts.forNames("app.test").signedBy(ca).issue()));
    Limits limits = Limits.DEFAULTS
        .withTimeout("keep_alive_timeout", KEEP_ALIVE)
        .withTimeout("body_idle_timeout", BODY_IDLE)
        .withRequestBuffering(true, 64 << 10);
    var sites = List.of(
        TestConfigs.site(List.of("app.test"), Optional.of(new Upstream.Tcp("127.0.0.1", recording.port())), List.of()));
    server = GatehouseServer.start(
        TestConfigs.serve(sites, 0, 0, dir.resolve("state"), limits, List.of(), HstsPolicy.DEFAULT),
        certificates, new ChallengeResponses());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close(Duration.ZERO);
    }
    recording.close();
  }

  private RawHttp.Connection http1() {
    return RawHttp.tls(server.httpsPort(), "app.test", caPem).alpn("http/1.1").timeout(Duration.ofSeconds(10)).open();
  }

  @Test
  void http1UploadOnAFreshConnectionOutlastsTheKeepAliveTimeoutAndCountsAsInFlight() throws Exception {
    try (RawHttp.Connection c = http1()) {
      c.send(uploadHead("/h1-fresh"));
      int[] sent = {0};
      trickle(piece -> {
        c.send(piece);
        if (++sent[0] == PIECES / 2) {
          assertThat(server.inFlight()).as("the upload being buffered is a request in flight").isEqualTo(1);
        }
      });
      RawResponse uploaded = c.readResponse();
      assertThat(uploaded.status()).isEqualTo(200);
      assertThat(uploaded.bodyText()).isEqualTo("ok");
    }
    assertThat(recordedBodyLength("/h1-fresh")).isEqualTo(UPLOAD_BYTES);
  }

  @Test
  void http1UploadOnAReusedConnectionOutlastsTheKeepAliveTimeout() throws Exception {
    try (RawHttp.Connection c = http1()) {
      c.send(keepAliveGet("/h1-first"));
      assertThat(c.readResponse().status()).isEqualTo(200);
      c.send(uploadHead("/h1-reused"));
      trickle(c::send);
      RawResponse uploaded = c.readResponse();
      assertThat(uploaded.status()).as("the second request on the connection").isEqualTo(200);
      assertThat(uploaded.bodyText()).isEqualTo("ok");
    }
    assertThat(recordedBodyLength("/h1-reused")).isEqualTo(UPLOAD_BYTES);
  }

  @Test
  void aStalledUploadOnAReusedConnectionIsStillClosedByTheBodyIdleTimeout() {
    try (RawHttp.Connection c = http1()) {
      c.send(keepAliveGet("/h1-before-stall"));
      assertThat(c.readResponse().status()).isEqualTo(200);
      c.send(uploadHead("/h1-stalled"));
      c.send(new byte[PIECE_BYTES]);
      assertThat(c.serverClosed()).as("closed after one piece, then nothing").isTrue();
    }
    assertThat(recording.requests()).noneMatch(r -> r.contains("/h1-stalled"));
  }

  @Test
  void anUploadWhoseClientLeavesIsNoLongerInFlightAndLeavesNoFile() throws Exception {
    try (RawHttp.Connection c = http1()) {
      c.send(uploadHead("/h1-abandoned"));
      for (int i = 0; i < 5; i++) {
        c.send(new byte[PIECE_BYTES]);
      }
      awaitInFlight(1);
      assertThat(server.inFlight()).as("the upload being buffered").isEqualTo(1);
      awaitBodyFiles(1);
      assertThat(bodyFiles()).as("80 KiB of the body, past the 64 KiB kept in memory").hasSize(1);
    }
    awaitInFlight(0);
    assertThat(server.inFlight()).as("counted while buffered, uncounted when the client left").isZero();
    awaitBodyFiles(0);
    assertThat(bodyFiles()).as("the body file is deleted").isEmpty();
    assertThat(recording.requests()).noneMatch(r -> r.contains("/h1-abandoned"));
  }

  private List<Path> bodyFiles() throws IOException {
    try (Stream<Path> files = Files.list(bodyFiles)) {
      return files.toList();
    }
  }

  /** Polls: body files are written and deleted on the file executor. */
  private void awaitBodyFiles(int expected) throws Exception {
    for (int i = 0; i < 200 && bodyFiles().size() != expected; i++) {
      Thread.sleep(25);
    }
  }

  /** Polls: the server counts on its event loop, after the bytes sent have arrived. */
  private void awaitInFlight(int expected) throws InterruptedException {
    for (int i = 0; i < 200 && server.inFlight() != expected; i++) {
      Thread.sleep(25);
    }
  }

  @Test
  void http2UploadOnAFreshConnectionOutlastsTheKeepAliveTimeout() throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(server.httpsPort(), "app.test", caPem, 1 << 16).startReading()) {
      http2Upload(c, 1, "/h2-fresh");
    }
    assertThat(recordedBodyLength("/h2-fresh")).isEqualTo(UPLOAD_BYTES);
  }

  @Test
  void http2UploadOnAReusedConnectionOutlastsTheKeepAliveTimeout() throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(server.httpsPort(), "app.test", caPem, 1 << 16).startReading()) {
      int flags = Http2FrameClient.END_HEADERS | Http2FrameClient.END_STREAM;
      c.send(Http2FrameClient.frame(Http2FrameClient.HEADERS, flags, 1,
          Http2FrameClient.requestBlock("GET", "/h2-first", "app.test")));
      awaitResponseHeaders(c, 1);
      http2Upload(c, 3, "/h2-reused");
    }
    assertThat(recordedBodyLength("/h2-reused")).isEqualTo(UPLOAD_BYTES);
  }

  private void http2Upload(Http2FrameClient c, int stream, String path) throws Exception {
    c.send(Http2FrameClient.frame(Http2FrameClient.HEADERS, Http2FrameClient.END_HEADERS, stream,
        Http2FrameClient.requestBlock("POST", path, "app.test",
            Http2FrameClient.field("content-length", Integer.toString(UPLOAD_BYTES)))));
    trickle(piece -> c.send(Http2FrameClient.frame(Http2FrameClient.DATA, 0, stream, piece)));
    assertThat(c.sync(stream, Duration.ofSeconds(5))).as("the server has taken every piece").isTrue();
    assertThat(server.inFlight()).as("the stream whose body is being buffered is in flight").isEqualTo(1);
    c.send(Http2FrameClient.frame(Http2FrameClient.DATA, Http2FrameClient.END_STREAM, stream, new byte[0]));
    awaitResponseHeaders(c, stream);
    assertThat(c.resetStreams()).doesNotContain(stream);
    assertThat(c.ended()).as("no GOAWAY, no close").isFalse();
  }

  private static void awaitResponseHeaders(Http2FrameClient c, int stream) throws InterruptedException {
    for (int i = 0; i < 200 && !c.responseHeaderStreams().contains(stream) && !c.ended(); i++) {
      Thread.sleep(25);
    }
    assertThat(c.responseHeaderStreams()).as("a response on stream " + stream).contains(stream);
  }

  private static String keepAliveGet(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: app.test\r\n\r\n";
  }

  private static String uploadHead(String path) {
    return "POST " + path + " HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Length: " + UPLOAD_BYTES + "\r\n\r\n";
  }

  /** Hands {@code send} the upload's pieces, each after a pause shorter than the body idle timeout. */
  private static void trickle(Consumer<byte[]> send) throws InterruptedException {
    for (int i = 0; i < PIECES; i++) {
      Thread.sleep(PIECE_INTERVAL_MILLIS);
      send.accept(new byte[PIECE_BYTES]);
    }
  }

  /** The length of the body the upstream received for the one request to {@code path}. */
  private int recordedBodyLength(String path) {
    List<String> matching = recording.requests().stream().filter(r -> r.contains(" " + path + " ")).toList();
    assertThat(matching).as("requests to " + path).hasSize(1);
    String request = matching.get(0);
    return request.length() - (request.indexOf("\r\n\r\n") + 4);
  }
}
