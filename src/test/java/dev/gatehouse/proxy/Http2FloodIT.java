package dev.gatehouse.proxy;

import static dev.gatehouse.proxy.Http2FrameClient.CONTINUATION;
import static dev.gatehouse.proxy.Http2FrameClient.END_HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.END_STREAM;
import static dev.gatehouse.proxy.Http2FrameClient.ENHANCE_YOUR_CALM;
import static dev.gatehouse.proxy.Http2FrameClient.GOAWAY;
import static dev.gatehouse.proxy.Http2FrameClient.HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.PING;
import static dev.gatehouse.proxy.Http2FrameClient.PREFACE;
import static dev.gatehouse.proxy.Http2FrameClient.RST_STREAM;
import static dev.gatehouse.proxy.Http2FrameClient.SETTINGS;
import static dev.gatehouse.proxy.Http2FrameClient.field;
import static dev.gatehouse.proxy.Http2FrameClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 floods written frame by frame over TLS (RFC 9113 §4.1 frame layout), the way an attacking client
 * would: each must end in GOAWAY ENHANCE_YOUR_CALM after a bounded number of frames, and nothing reaches the
 * upstream. Frames are built by hand because client libraries refuse to send them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2FloodIT {

  private static final int PROTOCOL_ERROR = 0x1;

  private RecordingUpstream upstream;
  private GatehouseServer server;
  private Path caPem;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    upstream = new RecordingUpstream();
    TestCert ca = TestCerts.ca("Gatehouse h2 root");
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test"), TestConfigs.key(TestCerts.forNames("app.test").signedBy(ca).issue()));
    var site = TestConfigs.site(List.of("app.test"), Optional.of(new Upstream.Tcp("127.0.0.1", upstream.port())), List.of());
    // A short write timeout: a client that never reads its PING answers is cut by it once Netty stops queueing.
    Limits limits = Limits.DEFAULTS.withTimeout("write_timeout", Duration.ofSeconds(1));
    server = GatehouseServer.start(
        TestConfigs.serve(List.of(site), 0, 0, dir.resolve("state"), limits, List.of(), HstsPolicy.DEFAULT),
        certificates, new ChallengeResponses());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close(Duration.ZERO);
    }
    upstream.close();
  }

  /** GET /path on app.test as an HPACK block: indexed :method GET, :scheme https, literal :path, :authority. */
  private static byte[] requestBlock(String path, byte[]... extra) {
    return Http2FrameClient.requestBlock("GET", path, "app.test", extra);
  }

  /** What the server sent until it closed: its frames' types, and the GOAWAY error code if one came (-1). */
  private record Outcome(int framesSent, int goAwayError, List<Integer> rstErrors) {}

  /** Sends the preface and then {@code frames} until the server closes; reads everything it answers. */
  private Outcome flood(java.util.function.IntFunction<byte[]> frames, int max) throws Exception {
    return flood(frames, max, Duration.ofSeconds(10));
  }

  /** {@code patience}: how long to wait for more from a server that may leave the connection open. */
  private Outcome flood(java.util.function.IntFunction<byte[]> frames, int max, Duration patience) throws Exception {
    try (RawHttp.Connection c = RawHttp.tls(server.httpsPort(), "app.test", caPem).alpn("h2")
        .timeout(patience).open()) {
      assertThat(c.applicationProtocol()).isEqualTo("h2");
      CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(c::readToClose);
      c.send(PREFACE);
      c.send(frame(SETTINGS, 0, 0, new byte[0]));
      int sent = 0;
      try {
        for (; sent < max && !answer.isDone(); sent++) {
          c.send(frames.apply(sent));
        }
      } catch (UncheckedIOException e) {
        // the server closed the connection
      }
      byte[] bytes = answer.get(20, TimeUnit.SECONDS);
      return parse(bytes, sent);
    }
  }

  private static Outcome parse(byte[] bytes, int sent) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int goAway = -1;
    List<Integer> rst = new java.util.ArrayList<>();
    while (in.remaining() >= 9) {
      int length = ((in.get() & 0xff) << 16) | ((in.get() & 0xff) << 8) | (in.get() & 0xff);
      int type = in.get() & 0xff;
      in.get();
      in.getInt();
      if (in.remaining() < length) {
        break;
      }
      byte[] payload = new byte[length];
      in.get(payload);
      if (type == GOAWAY) {
        goAway = ByteBuffer.wrap(payload, 4, 4).getInt();
      } else if (type == RST_STREAM) {
        rst.add(ByteBuffer.wrap(payload).getInt());
      }
    }
    return new Outcome(sent, goAway, rst);
  }

  @Test
  void rapidResetEndsInEnhanceYourCalm() throws Exception {
    Outcome o = flood(i -> {
      int stream = 2 * i + 1;
      byte[] headers = frame(HEADERS, END_HEADERS | END_STREAM, stream, requestBlock("/rapid-reset"));
      byte[] reset = frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8});
      ByteBuffer both = ByteBuffer.allocate(headers.length + reset.length).put(headers).put(reset);
      return both.array();
    }, 5_000);

    assertThat(o.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
    assertThat(upstream.requests().stream().filter(r -> r.contains("/rapid-reset")).count())
        .as("of 5000 reset requests, the ones that reached the upstream").isLessThan(1_000);
  }

  @Test
  void continuationFloodEndsInEnhanceYourCalm() throws Exception {
    byte[] tiny = field("x", "y");
    Outcome o = flood(i -> i == 0
        ? frame(HEADERS, 0, 1, requestBlock("/continuation"))
        : frame(CONTINUATION, 0, 1, tiny), 100_000);

    assertThat(o.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
    assertThat(upstream.requests()).noneMatch(r -> r.contains("/continuation"));
  }

  @Test
  void pingFloodFromAClientThatNeverReadsIsCut() throws Exception {
    int max = 2_000_000;
    int sent = 0;
    try (RawHttp.Connection c = RawHttp.tls(server.httpsPort(), "app.test", caPem).alpn("h2").open()) {
      c.send(PREFACE);
      c.send(frame(SETTINGS, 0, 0, new byte[0]));
      byte[] pings = new byte[17 * 64];
      for (int i = 0; i < 64; i++) {
        System.arraycopy(frame(PING, 0, 0, new byte[8]), 0, pings, 17 * i, 17);
      }
      for (; sent < max; sent += 64) {
        c.send(pings);
      }
    } catch (UncheckedIOException e) {
      // the server closed the connection: its answers were piling up unread
    }
    assertThat(sent).as("PINGs sent before the server cut the connection").isLessThan(max);
  }

  @Test
  void connectionSpecificHeadersAndTeOtherThanTrailersAreRefused() throws Exception {
    for (byte[] bad : List.of(field("connection", "keep-alive"), field("te", "gzip"), field("transfer-encoding", "chunked"),
        field("keep-alive", "1"), field("upgrade", "h2c"), field("x-nul", "a\0b"), field("x-crlf", "a\r\nb"))) {
      Outcome o = flood(i -> frame(HEADERS, END_HEADERS | END_STREAM, 1, requestBlock("/conn-specific", bad)), 1,
          Duration.ofSeconds(2));
      assertThat(o.rstErrors().contains(PROTOCOL_ERROR) || o.goAwayError() == PROTOCOL_ERROR)
          .as(new String(bad, StandardCharsets.ISO_8859_1) + " -> " + o).isTrue();
    }
    assertThat(upstream.requests()).noneMatch(r -> r.contains("/conn-specific"));
  }

  @Test
  void contentLengthDisagreeingWithDataIsRefused() throws Exception {
    byte[] headers = frame(HEADERS, END_HEADERS, 1, requestBlock("/length-lie", field("content-length", "5")));
    byte[] data = frame(0x0, END_STREAM, 1, "hello!".getBytes(StandardCharsets.US_ASCII));
    Outcome o = flood(i -> i == 0 ? headers : data, 2, Duration.ofSeconds(2));

    assertThat(o.rstErrors().contains(PROTOCOL_ERROR) || o.goAwayError() == PROTOCOL_ERROR).as(o.toString()).isTrue();
    assertThat(upstream.requests()).noneMatch(r -> r.contains("/length-lie"));
  }

  @Test
  void streamCapIsOneHundred() throws Exception {
    Outcome o = flood(i -> frame(HEADERS, END_HEADERS, 2 * i + 1, requestBlock("/cap")), 101, Duration.ofSeconds(2));

    assertThat(o.rstErrors()).as("the 101st open stream is refused").isNotEmpty();
  }
}
