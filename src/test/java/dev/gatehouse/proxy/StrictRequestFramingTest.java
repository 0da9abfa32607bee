package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framing check on bytes as a socket may deliver them: one at a time, or several requests at once. */
class StrictRequestFramingTest {

  private static final String PIPELINED =
      "POST /a HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello"
          + "POST /b HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
          + "GET /c HTTP/1.1\r\nHost: app.test\r\n\r\n";

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(new StrictRequestFraming(FramingRules.of(Limits.DEFAULTS), true), new HttpServerCodec());
  }

  /** What reached the codec's successor: "REQ uri", "FAIL cause", or the body text. */
  private static List<String> feed(EmbeddedChannel ch, String bytes, int pieceSize) {
    byte[] all = bytes.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < all.length; i += pieceSize) {
      ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(pieceSize, all.length - i)));
    }
    List<String> seen = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      HttpObject o = (HttpObject) m;
      if (o.decoderResult().isFailure()) {
        seen.add("FAIL " + o.decoderResult().cause().getClass().getSimpleName());
      } else if (o instanceof HttpRequest r) {
        seen.add("REQ " + r.uri());
      }
      if (o instanceof HttpContent c && c.content().isReadable()) {
        seen.add(c.content().toString(StandardCharsets.ISO_8859_1));
      }
      if (o instanceof LastHttpContent && !o.decoderResult().isFailure()) {
        seen.add("END");
      }
      ReferenceCountUtil.release(m);
    }
    return seen;
  }

  @Test
  void pipelinedRequestsPassWholeAndByteByByte() {
    List<String> whole = feed(channel(), PIPELINED, PIPELINED.length());
    List<String> single = feed(channel(), PIPELINED, 1);

    assertThat(String.join("|", whole)).isEqualTo("REQ /a|hello|END|REQ /b|abc|END|REQ /c|END");
    assertThat(String.join("", single)).isEqualTo(String.join("", whole));
  }

  @Test
  void aFaultSplitAcrossReadsStillStopsTheHead() {
    String smuggle = "GET /ok HTTP/1.1\r\nHost: app.test\r\n\r\n"
        + "POST /x HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n";
    for (int piece : new int[] {1, 7, smuggle.length()}) {
      assertThat(feed(channel(), smuggle, piece)).as("pieces of " + piece)
          .containsExactly("REQ /ok", "END", "FAIL CorruptedFrameException");
    }
  }

  @Test
  void aBadChunkAfterTheHeadFailsTheBody() {
    String bad = "POST /x HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0x0\r\n\r\n";
    assertThat(String.join("", feed(channel(), bad, 3))).isEqualTo("REQ /xhelloFAIL CorruptedFrameException");
  }

  @Test
  void linesLongerThanTheFirstBufferPassWhole() {
    String path = "/" + "p".repeat(3000);
    String cookie = "c".repeat(6000);
    for (int piece : new int[] {1, 100, 5000}) {
      EmbeddedChannel ch = channel();
      byte[] all = ("GET " + path + " HTTP/1.1\r\nHost: app.test\r\nCookie: " + cookie + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < all.length; i += piece) {
        ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(piece, all.length - i)));
      }
      HttpRequest request = ch.readInbound();
      assertThat(request.decoderResult().isSuccess()).as("pieces of " + piece).isTrue();
      assertThat(request.uri()).isEqualTo(path);
      assertThat(request.headers().get("Cookie")).isEqualTo(cookie);
      ReferenceCountUtil.release(request);
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void headerCountOverTheLimitIs431() {
    StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: app.test\r\n");
    for (int i = 0; i < Limits.DEFAULT_MAX_HEADER_COUNT; i++) {
      head.append("X-").append(i).append(": v\r\n");
    }
    List<String> seen = feed(channel(), head + "\r\n", 64);
    assertThat(seen).containsExactly("FAIL " + TooLongHttpHeaderException.class.getSimpleName());
  }

  @Test
  void bytesAfterAnUpgradeRequestWaitForTheSwitch() {
    EmbeddedChannel ch = channel();
    List<String> seen = feed(ch, "GET /ws HTTP/1.1\r\nHost: app.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        + "\u0081\u0005frame", 1000);
    assertThat(seen).containsExactly("REQ /ws", "END");
    ch.pipeline().remove(HttpServerCodec.class);
    ch.pipeline().remove(StrictRequestFraming.class);
    ByteBuf held = ch.readInbound();
    assertThat(held.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0081\u0005frame");
    held.release();
  }
}
