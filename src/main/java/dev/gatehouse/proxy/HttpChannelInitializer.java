package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;

/** Port 80: HTTP/1.1 decoding, an idle timeout, and the redirect/ACME handler. */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {

  private final ServerRuntime runtime;
  private final ChannelGroup clients;

  HttpChannelInitializer(ServerRuntime runtime, ChannelGroup clients) {
    this.runtime = runtime;
    this.clients = clients;
  }

  @Override
  protected void initChannel(Channel ch) {
    clients.add(ch);
    Limits limits = runtime.config().limits();
    ch.pipeline().addLast("per-ip", runtime.connectionsPerAddress());
    HttpsChannelInitializer.addWriteTimeout(ch, limits);
    ch.pipeline()
        .addLast("idle", new ReadTimeoutHandler(limits.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast(HttpsChannelInitializer.FRAMING, new StrictRequestFraming(FramingRules.of(limits), false))
        .addLast("http", new HttpServerCodec(decoderConfig(limits)))
        .addLast("redirect", new HttpsRedirectHandler(runtime));
  }

  /** The request decoder limits shared by both listeners. */
  static HttpDecoderConfig decoderConfig(Limits limits) {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.maxInitialLineBytes())
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxChunkSize(StaticFileExchange.CHUNK_BYTES);
  }
}
