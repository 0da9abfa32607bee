package dev.gatehouse.proxy;

import static dev.gatehouse.proxy.Http2FrameClient.DATA;
import static dev.gatehouse.proxy.Http2FrameClient.END_HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.END_STREAM;
import static dev.gatehouse.proxy.Http2FrameClient.GOAWAY;
import static dev.gatehouse.proxy.Http2FrameClient.HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.RST_STREAM;
import static dev.gatehouse.proxy.Http2FrameClient.WINDOW_UPDATE;
import static dev.gatehouse.proxy.Http2FrameClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/2 connection handler against raw frames, for everything that needs no upstream: how responses are
 * framed, when a stream counts in flight, and each conformance case h2spec 2.x checks that Netty's decoder alone gets wrong (RFC 9113 §5.1,
 * §5.1.1, §8.3.1).
 */
class Http2ServerConnectionTest {

  private static final String CSS = "body { color: red; }\n";

  @TempDir Path dir;
  private ServerRuntime runtime;
  private ClientChannel ch;
  private Http2ClientFrames client;

  @BeforeEach
  void serve() throws IOException, ConfigException, Http2Exception {
    Path staticRoot = Files.createDirectories(dir.resolve("staticfiles"));
    Files.writeString(staticRoot.resolve("app.css"), CSS);
    runtime = TestConfigs.staticSiteRuntime(dir, staticRoot);
    ch = new ClientChannel(Http2ServerConnection.create(runtime));
    client = new Http2ClientFrames(ch).open();
    client.received();
  }

  private static byte[] headers(int stream, int flags, byte[] block) {
    return frame(HEADERS, flags, stream, block);
  }

  /** A header block of literal fields, pseudo-header fields first. */
  private static byte[] block(String... namesAndValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.writeBytes(Http2FrameClient.field(namesAndValues[i], namesAndValues[i + 1]));
    }
    return b.toByteArray();
  }

  @Test
  void aFileIsHeadersThenDataEndingTheStream() throws Exception {
    List<Http2ClientFrames.Frame> frames = client.send(Http2ClientFrames.get(1, "/static/app.css")).received();

    assertThat(frames).extracting(Http2ClientFrames.Frame::type).containsExactly(HEADERS, DATA);
    assertThat(frames.get(0).status()).isEqualTo("200");
    assertThat(frames.get(0).headers().get("strict-transport-security").toString()).isEqualTo("max-age=600");
    assertThat(frames.get(0).endStream()).isFalse();
    assertThat(new String(frames.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo(CSS);
    assertThat(frames.get(1).endStream()).isTrue();
  }

  @Test
  void aResponseWithoutBodyIsOneHeadersFrameEndingTheStream() throws Exception {
    List<Http2ClientFrames.Frame> frames =
        client.send(headers(1, END_HEADERS | END_STREAM, Http2FrameClient.requestBlock("GET", "/static/app.css", "app.test",
            Http2FrameClient.field("range", "bytes=900-")))).received();

    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).status()).isEqualTo("416");
  }

  @Test
  void streamsAreAnsweredEachOnItsOwn() throws Exception {
    List<Http2ClientFrames.Frame> frames =
        client.send(Http2ClientFrames.get(1, "/static/app.css"), Http2ClientFrames.get(3, "/static/missing.css")).received();

    assertThat(Http2ClientFrames.of(frames, 1).get(0).status()).isEqualTo("200");
    assertThat(Http2ClientFrames.of(frames, 3).get(0).status()).isEqualTo("404");
    assertThat(frames).noneMatch(f -> f.type() == RST_STREAM || f.type() == GOAWAY);
  }

  @Test
  void aStreamWithoutWindowStallsAloneAndGoesOnWhenCredited() throws Exception {
    byte[] noStreamWindow = {0, 4, 0, 0, 0, 0};
    client.send(frame(Http2FrameClient.SETTINGS, 0, 0, noStreamWindow)).received();

    List<Http2ClientFrames.Frame> first =
        client.send(Http2ClientFrames.get(1, "/static/app.css"), Http2ClientFrames.get(3, "/static/app.css")).received();
    assertThat(first).extracting(Http2ClientFrames.Frame::type).containsExactly(HEADERS, HEADERS);

    byte[] credit = {0, 0, 0, 100};
    List<Http2ClientFrames.Frame> after = client.send(frame(WINDOW_UPDATE, 0, 3, credit)).received();
    assertThat(after).singleElement().satisfies(f -> {
      assertThat(f.type()).isEqualTo(DATA);
      assertThat(f.stream()).isEqualTo(3);
      assertThat(f.endStream()).isTrue();
    });
    assertThat(client.send(frame(WINDOW_UPDATE, 0, 1, credit)).received())
        .extracting(Http2ClientFrames.Frame::stream).containsExactly(1);
  }

  /** h2spec http2/5.1/6. */
  @Test
  void aStreamWhoseBodyIsBeingBufferedIsInFlightUntilAnsweredOrReset() throws Exception {
    byte[] post = headers(1, END_HEADERS, Http2FrameClient.requestBlock("POST", "/static/app.css", "app.test",
        Http2FrameClient.field("content-length", "20")));
    client.send(post, frame(DATA, 0, 1, new byte[10])).received();
    assertThat(runtime.inFlight()).as("the body being buffered, its head not yet handed on").isEqualTo(1);

    List<Http2ClientFrames.Frame> answer = client.send(frame(DATA, END_STREAM, 1, new byte[10])).received();
    assertThat(answer).extracting(Http2ClientFrames.Frame::type).contains(HEADERS);
    assertThat(runtime.inFlight()).as("answered").isZero();

    client.send(headers(3, END_HEADERS, Http2FrameClient.requestBlock("POST", "/static/app.css", "app.test",
        Http2FrameClient.field("content-length", "20"))), frame(DATA, 0, 3, new byte[10])).received();
    assertThat(runtime.inFlight()).isEqualTo(1);
    client.send(frame(RST_STREAM, 0, 3, new byte[] {0, 0, 0, (byte) Http2Error.CANCEL.code()})).received();
    assertThat(runtime.inFlight()).as("the client reset the stream before its body was all in").isZero();
  }

  @Test
  void headersOnAHalfClosedRemoteStreamIsStreamClosed() throws Exception {
    byte[] get = Http2ClientFrames.get(1, "/static/app.css");
    List<Http2ClientFrames.Frame> frames = client.send(get, get).received();

    assertThat(frames).anyMatch(f -> (f.type() == RST_STREAM || f.type() == GOAWAY)
        && f.errorCode() == Http2Error.STREAM_CLOSED.code());
  }

  /** h2spec http2/5.1/12 (13 in h2spec 2.6): HEADERS after the stream closed both ways. */
  @Test
  void headersOnAClosedStreamIsAConnectionErrorStreamClosed() throws Exception {
    client.send(Http2ClientFrames.get(1, "/static/app.css")).received();

    List<Http2ClientFrames.Frame> frames = client.send(Http2ClientFrames.get(1, "/static/app.css")).received();

    assertThat(frames).extracting(Http2ClientFrames.Frame::type).containsExactly(GOAWAY);
    assertThat(frames.get(0).errorCode()).isEqualTo(Http2Error.STREAM_CLOSED.code());
    assertThat(ch.isOpen()).isFalse();
  }

  /** h2spec http2/5.1.1/2. */
  @Test
  void aStreamIdBelowOneAlreadyUsedIsAConnectionErrorProtocolError() throws Exception {
    List<Http2ClientFrames.Frame> frames =
        client.send(Http2ClientFrames.get(5, "/static/app.css"), Http2ClientFrames.get(3, "/static/app.css")).received();

    assertThat(frames).filteredOn(f -> f.type() == GOAWAY).singleElement()
        .extracting(Http2ClientFrames.Frame::errorCode).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    assertThat(Http2ClientFrames.of(frames, 3)).isEmpty();
  }

  /** h2spec http2/8.1.2.3/2, /3, /4 (RFC 9113 §8.3.1). */
  @Test
  void aRequestWithoutMethodSchemeOrPathIsResetWithProtocolError() throws Exception {
    byte[] noMethod = block(":scheme", "https", ":path", "/static/app.css", ":authority", "app.test");
    byte[] noScheme = block(":method", "GET", ":path", "/static/app.css", ":authority", "app.test");
    byte[] noPath = block(":method", "GET", ":scheme", "https", ":authority", "app.test");
    byte[] emptyPath = block(":method", "GET", ":scheme", "https", ":path", "", ":authority", "app.test");
    List<Http2ClientFrames.Frame> frames = client.send(
        headers(1, END_HEADERS | END_STREAM, noMethod),
        headers(3, END_HEADERS | END_STREAM, noScheme),
        headers(5, END_HEADERS | END_STREAM, noPath),
        headers(7, END_HEADERS | END_STREAM, emptyPath)).received();

    for (int stream : new int[] {1, 3, 5, 7}) {
      assertThat(Http2ClientFrames.of(frames, stream)).as("stream %d", stream).singleElement()
          .satisfies(f -> {
            assertThat(f.type()).isEqualTo(RST_STREAM);
            assertThat(f.errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
          });
    }
    assertThat(ch.isOpen()).isTrue();
  }
}
