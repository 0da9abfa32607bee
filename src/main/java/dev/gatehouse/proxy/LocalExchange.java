package dev.gatehouse.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Function;

/**
 * An exchange Gatehouse answers itself with one complete response: an error page or the built-in page. The
 * request body, if any, is read and dropped (up to the body limit), unless the request is refused in a way
 * that makes reading on pointless (unparseable, too large, unknown framing): then the connection closes after
 * the response.
 */
final class LocalExchange extends Exchange {

  private final Function<ByteBufAllocator, FullHttpResponse> response;
  private final boolean closeConnection;

  private LocalExchange(
      ClientStream front,
      HttpRequest request,
      RequestInfo info,
      Function<ByteBufAllocator, FullHttpResponse> response,
      boolean closeConnection) {
    super(front, request, info);
    this.response = response;
    this.closeConnection = closeConnection;
  }

  static LocalExchange failure(ClientStream front, HttpRequest request, RequestInfo info, ProxyFailure failure) {
    // 421 and 404 leave the connection usable; everything else says the request itself is unusable.
    boolean keepConnection = failure == ProxyFailure.MISDIRECTED || failure == ProxyFailure.NOT_FOUND;
    return new LocalExchange(front, request, info, alloc -> ErrorPages.page(failure, alloc), !keepConnection);
  }

  static LocalExchange welcome(ClientStream front, HttpRequest request, RequestInfo info) {
    return new LocalExchange(front, request, info, WelcomePage::response, false);
  }

  @Override
  void start() {
    if (closeConnection) {
      abandonRequest();
    }
    respond(response.apply(front.alloc()));
    if (!isRequestDone()) {
      front.readRequest();
    }
  }
}
