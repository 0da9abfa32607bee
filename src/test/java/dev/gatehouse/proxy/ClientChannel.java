package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EmbeddedChannel} that looks like a TCP connection from {@code 203.0.113.9} to port {@link
 * #LOCAL_PORT}, fed raw request bytes, whose written bytes are decoded back into responses.
 */
final class ClientChannel extends EmbeddedChannel {

  static final String CLIENT_IP = "203.0.113.9";
  static final int LOCAL_PORT = 8443;

  private final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 24));

  ClientChannel(ChannelHandler... handlers) {
    super(handlers);
  }

  /** With auto-read off before the handlers are added, as the HTTPS pipeline runs. */
  static ClientChannel pulling(ChannelHandler... handlers) {
    ClientChannel ch = new ClientChannel();
    ch.config().setAutoRead(false);
    ch.pipeline().addLast(handlers);
    return ch;
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return new InetSocketAddress(CLIENT_IP, 50000);
  }

  @Override
  protected SocketAddress localAddress0() {
    return new InetSocketAddress("127.0.0.1", LOCAL_PORT);
  }

  /** Sends {@code request} (CRLF line ends added for {@code \n}), runs pending tasks, returns responses. */
  List<FullHttpResponse> send(String request) {
    writeInbound(Unpooled.copiedBuffer(request.replace("\r\n", "\n").replace("\n", "\r\n"), StandardCharsets.ISO_8859_1));
    return responses();
  }

  /** Sends {@code request} and returns the bytes written back as text (for HEAD, which a decoder can't frame). */
  String sendRaw(String request) {
    writeInbound(Unpooled.copiedBuffer(request.replace("\r\n", "\n").replace("\n", "\r\n"), StandardCharsets.ISO_8859_1));
    runPendingTasks();
    StringBuilder text = new StringBuilder();
    ByteBuf out;
    while ((out = readOutbound()) != null) {
      text.append(out.toString(StandardCharsets.ISO_8859_1));
      out.release();
    }
    return text.toString();
  }

  /** Everything written so far, as responses. */
  List<FullHttpResponse> responses() {
    runPendingTasks();
    List<FullHttpResponse> responses = new ArrayList<>();
    ByteBuf out;
    while ((out = readOutbound()) != null) {
      decoder.writeInbound(out);
    }
    FullHttpResponse response;
    while ((response = decoder.readInbound()) != null) {
      // A copy on an untracked heap buffer, so tests need not release what they inspect.
      byte[] body = new byte[response.content().readableBytes()];
      response.content().readBytes(body);
      responses.add(response.replace(Unpooled.wrappedBuffer(body)));
      response.release();
    }
    return responses;
  }

  /** Exactly one response. */
  FullHttpResponse exchange(String request) {
    List<FullHttpResponse> responses = send(request);
    if (responses.size() != 1) {
      throw new AssertionError("expected one response, got " + responses.size() + ": " + responses);
    }
    return responses.get(0);
  }
}
