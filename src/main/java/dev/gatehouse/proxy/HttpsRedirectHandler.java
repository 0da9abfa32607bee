package dev.gatehouse.proxy;

import dev.gatehouse.config.ServeConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Port 80: answers ACME http-01 challenges (RFC 8555 §8.3) and sends everything else to HTTPS, keeping the
 * host, a non-default HTTPS port, and the path and query exactly as the client wrote them. Only configured
 * hosts are redirected; a missing, malformed or unknown Host gets an error with no Location, so the
 * redirect can never point anywhere a client chose. Nothing here reaches the upstream.
 */
final class HttpsRedirectHandler extends SimpleChannelInboundHandler<HttpObject> {

  private static final System.Logger LOG = System.getLogger(HttpsRedirectHandler.class.getName());

  /** RFC 8555 §8.3: the path of an http-01 challenge. */
  static final String ACME_CHALLENGE_PREFIX = "/.well-known/acme-challenge/";

  /** RFC 8555 §8.1: tokens are base64url, without padding. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  private final ServerRuntime runtime;

  HttpsRedirectHandler(ServerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (!(msg instanceof HttpRequest request)) {
      if (msg.decoderResult().isFailure()) {
        // A body whose framing broke after the head was answered: nothing more on this connection.
        ctx.close();
      }
      return;
    }
    long start = System.nanoTime();
    FullHttpResponse response = answer(request, ctx.alloc());
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure()
        && response.status().code() != 400 && !runtime.isDraining();
    HttpUtil.setKeepAlive(response, keepAlive);
    if (request.method().equals(HttpMethod.HEAD)) {
      response.content().clear();
    }
    int status = response.status().code();
    long bytes = response.content().readableBytes();
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
    RequestInfo info =
        new RequestInfo(
            (InetSocketAddress) ctx.channel().remoteAddress(),
            ((InetSocketAddress) ctx.channel().localAddress()).getPort(),
            request.method().name(),
            request.uri(),
            request.protocolVersion().text(),
            RequestTarget.of(request).map(RequestTarget::host),
            Optional.empty(),
            start,
            RequestInfo.now());
    runtime.requestStarted();
    runtime.requestFinished(info, status, bytes);
  }

  FullHttpResponse answer(HttpRequest request, ByteBufAllocator alloc) {
    if (request.decoderResult().isFailure()) {
      return ErrorPages.page(ErrorPages.forDecoderFailure(request.decoderResult().cause()), alloc);
    }
    String uri = request.uri();
    if (uri.startsWith(ACME_CHALLENGE_PREFIX)) {
      return challenge(uri.substring(ACME_CHALLENGE_PREFIX.length()), alloc);
    }
    Optional<RequestTarget> target = RequestTarget.of(request);
    if (target.isEmpty()) {
      return ErrorPages.page(ProxyFailure.BAD_REQUEST, alloc);
    }
    ServeConfig config = runtime.config();
    if (config.siteFor(target.get().host()).isEmpty()) {
      return ErrorPages.page(ProxyFailure.MISDIRECTED, alloc);
    }
    int httpsPort = runtime.httpsPort();
    String location =
        "https://" + target.get().urlHost() + (httpsPort == 443 ? "" : ":" + httpsPort) + target.get().originForm();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(config.redirectStatusFor(request.method().name())));
    response.headers()
        .set(HttpHeaderNames.LOCATION, location)
        .set(HttpHeaderNames.CONTENT_LENGTH, 0)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }

  private FullHttpResponse challenge(String token, ByteBufAllocator alloc) {
    Optional<String> keyAuthorization =
        TOKEN.matcher(token).matches() ? runtime.challenges().http01(token) : Optional.empty();
    if (keyAuthorization.isEmpty()) {
      LOG.log(Level.DEBUG, () -> "http-01: no pending challenge for the requested token");
      return ErrorPages.page(ProxyFailure.NOT_FOUND, alloc);
    }
    ByteBuf body = Unpooled.copiedBuffer(keyAuthorization.get(), StandardCharsets.US_ASCII);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.DEBUG, () -> "port 80 client " + ctx.channel().remoteAddress() + ": " + cause);
    ctx.close();
  }
}
