package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import dev.gatehouse.tls.CertificateSelector;
import dev.gatehouse.tls.SniCertificateHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * Port 443. Before the handshake: the SNI handler, which becomes the {@code SslHandler}, and the ALPN
 * handler, which then builds the rest for the negotiated protocol. HTTP/1.1 and each HTTP/2 stream end in the
 * same {@link HttpsRequestHandler} behind a {@link OneMessagePerRead}, with auto-read off.
 */
final class HttpsChannelInitializer extends ChannelInitializer<Channel> {

  /** Pipeline name of the HTTP/1.1 codec, which the WebSocket switch removes. */
  static final String HTTP_CODEC = "http";

  /** RFC 9113 §6.5.2; what nginx's http2_max_concurrent_streams defaults to. */
  static final int MAX_CONCURRENT_STREAMS = 100;

  /**
   * HTTP/2 per-stream receive window: how much of a request body may arrive before it is read. Netty widens
   * the connection window to match, so one stalled stream cannot starve the others.
   */
  static final int STREAM_WINDOW_BYTES = 128 << 10;

  private final ServerRuntime runtime;
  private final CertificateSelector certificates;
  private final ChannelGroup clients;

  HttpsChannelInitializer(ServerRuntime runtime, CertificateSelector certificates, ChannelGroup clients) {
    this.runtime = runtime;
    this.certificates = certificates;
    this.clients = clients;
  }

  @Override
  protected void initChannel(Channel ch) {
    clients.add(ch);
    Limits limits = runtime.config().limits();
    ch.pipeline()
        .addLast("sni", new SniCertificateHandler(certificates, limits.tlsHandshakeTimeout()))
        .addLast("alpn", new AlpnPipelineConfigurator(this));
  }

  /** HTTP/1.1 after the handshake. */
  void configureHttp1(Channel ch) {
    Limits limits = runtime.config().limits();
    ch.config().setAutoRead(false);
    ch.pipeline()
        .addLast(HTTP_CODEC, new HttpServerCodec(HttpChannelInitializer.decoderConfig(limits)))
        .addLast("flow", new OneMessagePerRead())
        .addLast("request", new HttpsRequestHandler(runtime));
  }

  /** HTTP/2 after the handshake: frames, then one child channel per stream. */
  void configureHttp2(Channel ch) {
    Limits limits = runtime.config().limits();
    Http2FrameCodec codec =
        Http2FrameCodecBuilder.forServer()
            .initialSettings(
                Http2Settings.defaultSettings()
                    .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                    .maxHeaderListSize(limits.maxHeaderBytes())
                    .initialWindowSize(STREAM_WINDOW_BYTES))
            .validateHeaders(true)
            .gracefulShutdownTimeoutMillis(limits.drainTimeout().toMillis())
            .build();
    ch.pipeline()
        .addLast("h2", codec)
        .addLast(
            "h2-streams",
            new Http2MultiplexHandler(
                new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    stream.config().setAutoRead(false);
                    stream
                        .pipeline()
                        .addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(true))
                        .addLast("flow", new OneMessagePerRead())
                        .addLast("request", new HttpsRequestHandler(runtime));
                  }
                }))
        .addLast("drain", new Http2DrainHandler());
  }
}
