package dev.gatehouse.proxy;

import static dev.gatehouse.proxy.Http2FrameClient.CANCEL;
import static dev.gatehouse.proxy.Http2FrameClient.DATA;
import static dev.gatehouse.proxy.Http2FrameClient.END_HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.END_STREAM;
import static dev.gatehouse.proxy.Http2FrameClient.HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.PREFACE;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-request limits on HTTP/2 streams, with frames written by hand over TLS (RFC 9113 §4.1) and the
 * server's frames read back with Netty's frame reader: the header-field cap that HTTP/1.1 also has (431), and
 * the body-idle timeout for unbuffered request bodies, which resets one stalled stream, aborts its upstream
 * request and leaves the connection's other streams alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2LimitsIT {

  private static final Duration BODY_IDLE = Duration.ofSeconds(1);

  private RecordingUpstream upstream;
  private GatehouseServer buffering;
  private GatehouseServer streaming;
  private Path caPem;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    upstream = new RecordingUpstream();
    TestCert ca = TestCerts.ca("Gatehouse h2 limits root");
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test"), TestConfigs.key(TestCerts.forNames("app.test").signedBy(ca).issue()));
    var site = TestConfigs.site(
        List.of("app.test"), Optional.of(new Upstream.Tcp("127.0.0.1", upstream.port())), List.of());
    buffering = GatehouseServer.start(
        TestConfigs.serve(List.of(site), 0, 0, dir.resolve("state-buffering"), Limits.DEFAULTS, List.of(),
            HstsPolicy.DEFAULT),
        certificates, new ChallengeResponses());
    Limits unbuffered = Limits.DEFAULTS.withRequestBuffering(false, Limits.DEFAULT_BODY_MEMORY_BYTES)
        .withTimeout("body_idle_timeout", BODY_IDLE);
    streaming = GatehouseServer.start(
        TestConfigs.serve(List.of(site), 0, 0, dir.resolve("state-streaming"), unbuffered, List.of(),
            HstsPolicy.DEFAULT),
        certificates, new ChallengeResponses());
  }

  @AfterAll
  void stop() throws Exception {
    if (buffering != null) {
      buffering.close(Duration.ZERO);
    }
    if (streaming != null) {
      streaming.close(Duration.ZERO);
    }
    upstream.close();
  }

  @Test
  void moreThanOneHundredHeaderFieldsIsAnswered431AndNeverForwarded() throws Exception {
    try (Http2Client c = new Http2Client(buffering.httpsPort(), Duration.ofSeconds(3))) {
      c.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, requestBlock("/many-fields", fields(101))));
      c.send(frame(HEADERS, END_HEADERS | END_STREAM, 3, requestBlock("/hundred-fields", fields(100))));
      Streams streams = c.readUntilQuiet();

      assertThat(streams.status(1)).as("101 fields").isEqualTo("431");
      assertThat(streams.status(3)).as("100 fields, the limit itself").isEqualTo("200");
    }
    assertThat(upstream.requests()).noneMatch(r -> r.contains("/many-fields"));
    assertThat(upstream.requests()).anyMatch(r -> r.contains("/hundred-fields"));
  }

  @Test
  void stalledUnbufferedBodyResetsItsStreamAndAbortsTheUpstreamRequest() throws Exception {
    try (Http2Client c = new Http2Client(streaming.httpsPort(), Duration.ofSeconds(4))) {
      c.send(frame(HEADERS, END_HEADERS, 1, requestBlock("/stalled", field("content-length", "10"))));
      c.send(frame(DATA, 0, 1, "abc".getBytes(StandardCharsets.US_ASCII)));
      c.send(frame(HEADERS, END_HEADERS | END_STREAM, 3, requestBlock("/meanwhile")));
      Streams first = c.readUntilQuiet();

      assertThat(first.status(3)).as("another stream while one stalls").isEqualTo("200");
      assertThat(first.status(1)).as("the stalled stream has no response").isNull();
      assertThat(first.resetError(1)).as("the stalled stream is reset").isEqualTo((long) CANCEL);
      assertThat(c.goAway()).isFalse();

      c.send(frame(HEADERS, END_HEADERS | END_STREAM, 5, requestBlock("/afterwards")));
      assertThat(c.readUntilQuiet().status(5)).as("the connection after the reset").isEqualTo("200");
    }
    // The upstream got the head and the three bytes, then its connection closed before the other seven: it
    // records a request only once its body is complete or the connection ends.
    List<String> stalled = upstream.requests().stream().filter(r -> r.contains("/stalled")).toList();
    assertThat(stalled).hasSize(1);
    assertThat(stalled.get(0)).endsWith("\r\n\r\nabc");
  }

  /** GET /path on app.test as an HPACK block: indexed :method GET, :scheme https, literal :path, :authority. */
  private static byte[] requestBlock(String path, byte[]... extra) {
    return Http2FrameClient.requestBlock("GET", path, "app.test", extra);
  }

  /** {@code n} distinct header fields. */
  private static byte[] fields(int n) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      b.writeBytes(field("x-field-" + i, "v"));
    }
    return b.toByteArray();
  }

  /** What the server sent, by stream: each {@code :status}, and each RST_STREAM error code. */
  private record Streams(Map<Integer, String> statuses, Map<Integer, Long> resets) {
    String status(int stream) {
      return statuses.get(stream);
    }

    Long resetError(int stream) {
      return resets.get(stream);
    }
  }

  /** A raw HTTP/2 connection whose server frames are decoded by Netty's frame reader (HPACK included). */
  private final class Http2Client implements AutoCloseable {
    private final RawHttp.Connection connection;
    private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();
    private final EmbeddedChannel decoding = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ByteBuf pending = Unpooled.buffer();
    private boolean goAway;

    Http2Client(int port, Duration quiet) {
      connection = RawHttp.tls(port, "app.test", caPem).alpn("h2").timeout(quiet).open();
      assertThat(connection.applicationProtocol()).isEqualTo("h2");
      connection.send(PREFACE);
      connection.send(frame(SETTINGS, 0, 0, new byte[0]));
    }

    void send(byte[] bytes) {
      connection.send(bytes);
    }

    boolean goAway() {
      return goAway;
    }

    /** Every frame the server sends until it is quiet for the read timeout, by stream. */
    Streams readUntilQuiet() throws Exception {
      pending.writeBytes(connection.readToClose());
      Map<Integer, String> statuses = new HashMap<>();
      Map<Integer, Long> resets = new HashMap<>();
      reader.readFrame(decoding.pipeline().firstContext(), pending, new Http2FrameAdapter() {
        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endStream) {
          if (headers.status() != null) {
            statuses.put(streamId, headers.status().toString());
          }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endStream) {
          onHeadersRead(ctx, streamId, headers, padding, endStream);
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
          resets.put(streamId, errorCode);
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
          goAway = true;
        }
      });
      return new Streams(statuses, resets);
    }

    @Override
    public void close() {
      connection.close();
      reader.close();
      decoding.finishAndReleaseAll();
      pending.release();
    }
  }
}
