package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import dev.gatehouse.tls.CertificateSelector;
import dev.gatehouse.tls.SniCertificateHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import java.util.concurrent.TimeUnit;

/**
 * Port 443. Before the handshake: the SNI handler, which becomes the {@code SslHandler}, and the ALPN
 * handler, which then builds the rest for the negotiated protocol: for HTTP/1.1 an {@link HttpsRequestHandler}
 * behind a {@link OneMessagePerRead}, with auto-read off; for HTTP/2 one {@link Http2ServerConnection}. Both
 * hand each request to an {@link Exchange} through a {@link ClientStream}.
 */
final class HttpsChannelInitializer extends ChannelInitializer<Channel> {

  /** Pipeline name of the HTTP/1.1 codec, which the WebSocket switch removes. */
  static final String HTTP_CODEC = "http";

  /** Pipeline name of the raw-byte framing check in front of the codec, which the WebSocket switch removes. */
  static final String FRAMING = "framing";

  /** RFC 9113 §6.5.2; what nginx's http2_max_concurrent_streams defaults to. */
  static final int MAX_CONCURRENT_STREAMS = 100;

  /**
   * Rapid reset (CVE-2023-44487): more than this many RST_STREAM frames from a client within {@link
   * #RST_WINDOW_SECONDS} ends the connection with GOAWAY ENHANCE_YOUR_CALM. Netty's own default (200 per 30 s)
   * is kept explicit here so it is a reviewed number.
   */
  static final int MAX_RST_FRAMES_PER_WINDOW = 200;

  static final int RST_WINDOW_SECONDS = 30;

  /**
   * CONTINUATION flood (CVE-2024-27316 and kin): a header block in more than this many small CONTINUATION
   * frames ends the connection; the block's total size is capped by SETTINGS_MAX_HEADER_LIST_SIZE anyway.
   */
  static final int MAX_SMALL_CONTINUATION_FRAMES = 16;

  /** Empty DATA frames in a row (CVE-2019-9518) before the connection ends. */
  static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;

  /**
   * Control frames (PING and SETTINGS acknowledgements, RST_STREAM) queued for a client that does not read
   * them (CVE-2019-9512, -9515): past this the connection ends instead of growing the queue.
   */
  static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

  /**
   * HTTP/2 per-stream receive window: how much of a request body may arrive before it is read. Netty widens
   * the connection window to match, so one stalled stream cannot starve the others.
   */
  static final int STREAM_WINDOW_BYTES = 128 << 10;

  /**
   * HTTP/2 responses finish in upstream reads, not in a read of the client connection, so Netty's own
   * read-loop flush merging does not apply to them: each would be its own TLS record and write syscall. Up to
   * this many flushes of one connection are merged into one at the end of the event loop's current pass.
   */
  static final int MAX_MERGED_FLUSHES = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  /**
   * The HTTP/1.1 codec does not validate request fields again: {@link StrictRequestFraming}, in front of it,
   * has refused every name that is not a token and every value with a control character (RFC 9110 §5.1,
   * §5.5), the rules of Netty's validators. Validating twice was ~1 % of the proxy's time, and a copy of
   * unvalidated fields (the upstream's request head) validates nothing it adds either.
   */
  private static final DefaultHttpHeadersFactory FIELDS_CHECKED_BY_FRAMING =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private final ServerRuntime runtime;
  private final CertificateSelector certificates;
  private final ChannelGroup clients;

  /** What every connection of the server shares. */
  ServerRuntime runtime() {
    return runtime;
  }

  HttpsChannelInitializer(ServerRuntime runtime, CertificateSelector certificates, ChannelGroup clients) {
    this.runtime = runtime;
    this.certificates = certificates;
    this.clients = clients;
  }

  @Override
  protected void initChannel(Channel ch) {
    clients.add(ch);
    Limits limits = runtime.config().limits();
    ch.pipeline().addLast("per-ip", runtime.connectionsPerAddress());
    addWriteTimeout(ch, limits);
    ch.pipeline()
        .addLast("sni", new SniCertificateHandler(certificates, limits.tlsHandshakeTimeout()))
        .addLast("stop-reading-on-close", new StopReadingOnClose())
        .addLast("alpn", new AlpnPipelineConfigurator(this));
  }

  /** HTTP/1.1 after the handshake. */
  void configureHttp1(Channel ch) {
    Limits limits = runtime.config().limits();
    ch.config().setAutoRead(false);
    ch.pipeline()
        .addLast(FRAMING, new StrictRequestFraming(FramingRules.of(limits), true))
        .addLast(HTTP_CODEC, new HttpServerCodec(HttpChannelInitializer.decoderConfig(limits)
            .setHeadersFactory(FIELDS_CHECKED_BY_FRAMING)))
        .addLast("flow", new OneMessagePerRead())
        .addLast("buffer", new RequestBodyBuffer(runtime))
        .addLast("request", new HttpsRequestHandler(runtime));
  }

  /**
   * The slow-read guard: a response write the client does not take within {@code writeTimeout} fails and
   * closes the connection (nginx's send_timeout). First in the pipeline, so it times the bytes on the wire.
   */
  static void addWriteTimeout(Channel ch, Limits limits) {
    if (!limits.writeTimeout().isZero()) {
      ch.pipeline().addLast("write-timeout",
          new WriteTimeoutHandler(limits.writeTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /**
   * HTTP/2 after the handshake: merged flushes, then one {@link Http2ServerConnection} for the whole connection
   * (its streams are objects, not channels), then the drain.
   */
  void configureHttp2(Channel ch) {
    ch.pipeline()
        .addLast("h2-flush", new FlushConsolidationHandler(MAX_MERGED_FLUSHES, true))
        .addLast("h2", Http2ServerConnection.create(runtime))
        .addLast("drain", new Http2DrainHandler());
  }
}
