package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;

/**
 * The one place that turns failures into status codes and small HTML pages: no stack traces, no internal
 * names, nothing from the request reflected back.
 */
final class ErrorPages {
  private ErrorPages() {}

  /** The answer for a request Netty's decoder could not parse (RFC 9112 §2.2, §3, §5). */
  static ProxyFailure forDecoderFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ProxyFailure.URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ProxyFailure.HEADERS_TOO_LARGE;
    }
    if (cause instanceof BodyTooLargeException) {
      return ProxyFailure.BODY_TOO_LARGE;
    }
    if (cause instanceof TooLongFrameException) {
      return ProxyFailure.HEADERS_TOO_LARGE;
    }
    return ProxyFailure.BAD_REQUEST;
  }

  /**
   * The answer when talking to the upstream failed before its response began: 504 for a response timeout,
   * 502 for everything else (refused, connect timeout, missing socket, reset, garbage).
   */
  static ProxyFailure forUpstreamFailure(Throwable cause) {
    if (cause instanceof UpstreamTimeoutException) {
      return ProxyFailure.UPSTREAM_TIMEOUT;
    }
    if (cause instanceof ConnectException
        || cause instanceof ConnectTimeoutException
        || cause instanceof NoRouteToHostException
        || cause instanceof FileNotFoundException) {
      return ProxyFailure.UPSTREAM_UNREACHABLE;
    }
    if (cause instanceof IOException && isConnectFailure(cause.getMessage())) {
      return ProxyFailure.UPSTREAM_UNREACHABLE;
    }
    return ProxyFailure.UPSTREAM_BROKEN;
  }

  /** Native transports report connect(2) errors as IOExceptions whose message names the call. */
  private static boolean isConnectFailure(String message) {
    return message != null && message.contains("connect(");
  }

  static FullHttpResponse page(ProxyFailure failure, ByteBufAllocator alloc) {
    String title = failure.status().code() + " " + failure.status().reasonPhrase();
    String html =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
            + "<body><h1>" + title + "</h1>\n<p>" + failure.explanation() + "</p></body></html>\n";
    ByteBuf body = alloc.buffer(html.length());
    body.writeCharSequence(html, StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, failure.status(), body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }
}
