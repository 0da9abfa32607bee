package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-made HTTP/2 client over a {@link ClientChannel}: sends raw frames ({@link Http2FrameClient#frame}) and
 * parses what the server wrote back into frames, header blocks decoded, so a test sees exactly what a client
 * on the wire would.
 */
final class Http2ClientFrames {

  /** One frame the server sent; {@code headers} for HEADERS, {@code errorCode} for RST_STREAM and GOAWAY. */
  record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers, long errorCode) {

    boolean endStream() {
      return (flags & Http2FrameClient.END_STREAM) != 0 && (type == Http2FrameClient.DATA || type == Http2FrameClient.HEADERS);
    }

    String status() {
      return headers == null ? null : String.valueOf(headers.status());
    }
  }

  private final ClientChannel ch;
  private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
  private ByteBuf pending = Unpooled.buffer();

  Http2ClientFrames(ClientChannel ch) {
    this.ch = ch;
  }

  /** The connection preface and an empty SETTINGS frame (RFC 9113 §3.4). */
  Http2ClientFrames open() {
    return send(Http2FrameClient.PREFACE, Http2FrameClient.frame(Http2FrameClient.SETTINGS, 0, 0, new byte[0]));
  }

  Http2ClientFrames send(byte[]... bytes) {
    ch.writeInbound(Unpooled.wrappedBuffer(Http2FrameClient.frames(bytes)));
    ch.runPendingTasks();
    return this;
  }

  /** A GET of {@code path} on app.test, the request its HEADERS frame alone. */
  static byte[] get(int stream, String path) {
    return Http2FrameClient.frame(Http2FrameClient.HEADERS, Http2FrameClient.END_HEADERS | Http2FrameClient.END_STREAM,
        stream, Http2FrameClient.requestBlock("GET", path, "app.test"));
  }

  /** Every frame the server wrote since the last call. */
  List<Frame> received() throws Http2Exception {
    ch.runPendingTasks();
    ByteBuf out;
    while ((out = ch.readOutbound()) != null) {
      pending.writeBytes(out);
      out.release();
    }
    List<Frame> frames = new ArrayList<>();
    while (pending.readableBytes() >= 9) {
      int length = pending.getUnsignedMedium(pending.readerIndex());
      if (pending.readableBytes() < 9 + length) {
        break;
      }
      pending.skipBytes(3);
      int type = pending.readUnsignedByte();
      int flags = pending.readUnsignedByte();
      int stream = pending.readInt() & Integer.MAX_VALUE;
      byte[] payload = new byte[length];
      pending.readBytes(payload);
      Http2Headers headers = type == Http2FrameClient.HEADERS
          ? hpack.decodeHeaders(stream, Unpooled.wrappedBuffer(payload)) : null;
      long error = type == Http2FrameClient.RST_STREAM ? Unpooled.wrappedBuffer(payload).getUnsignedInt(0)
          : type == Http2FrameClient.GOAWAY ? Unpooled.wrappedBuffer(payload).getUnsignedInt(4) : -1;
      frames.add(new Frame(type, flags, stream, payload, headers, error));
    }
    pending.discardReadBytes();
    return frames;
  }

  /** The frames of {@code stream} among {@code frames}. */
  static List<Frame> of(List<Frame> frames, int stream) {
    return frames.stream().filter(f -> f.stream() == stream).toList();
  }
}
