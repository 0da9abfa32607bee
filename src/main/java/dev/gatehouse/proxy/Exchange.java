package dev.gatehouse.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * One request and its response on a {@link ClientStream} (an HTTP/1.1 connection or an HTTP/2 stream). The
 * request body is pulled one message at a time ({@link ClientStream#readRequest}), the response written to the
 * stream as a {@link ResponseSink}; the exchange is over
 * when the request has been read to its end (or abandoned) and the response written to its end, and is then
 * logged once. Subclasses decide what answers: a local page, a file, or the upstream. Event loop only.
 */
abstract class Exchange {

  /**
   * RFC 6797 §6.1; Netty has no constant for it. An {@code AsciiString} keeps its hash: every response
   * looks it up and adds it.
   */
  static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");

  protected final ClientStream front;
  protected final HttpRequest request;
  protected final RequestInfo info;

  private boolean requestDone;
  private boolean responseDone;
  private boolean finished;
  private boolean closeAfterResponse;
  private boolean bodyUnread;
  private boolean keepAlive = true;
  private boolean discardingBody;
  private long discardedBytes;
  private int status;
  private long bytesSent;

  Exchange(ClientStream front, HttpRequest request, RequestInfo info) {
    this.front = front;
    this.request = request;
    this.info = info;
    if (request instanceof LastHttpContent) {
      requestDone = true;
    }
  }

  /** Begins answering; the request head has been read. */
  abstract void start();

  /** The next piece of the request body; the exchange owns {@code content}. */
  void requestContent(HttpContent content) {
    discard(content);
  }

  /** The client connection (or stream) went away; stop what is running. */
  void clientGone() {
    finish();
  }

  /** Reads and drops the rest of the request body, up to the body limit; past it the connection closes. */
  protected final void discard(HttpContent content) {
    discardingBody = true;
    discardedBytes += content.content().readableBytes();
    boolean last = content instanceof LastHttpContent;
    ReferenceCountUtil.release(content);
    if (last) {
      requestComplete();
    } else if (discardedBytes > front.runtime().config().limits().maxBodyBytes()) {
      abandonRequest();
      if (responseDone) {
        finish();
      }
    } else {
      front.readRequest();
    }
  }

  /** The request's last content has been read (or forwarded). */
  protected final void requestComplete() {
    requestDone = true;
    maybeFinish();
  }

  /** Stops reading the request: the connection (HTTP/1.1) or stream (HTTP/2) closes after the response. */
  protected final void abandonRequest() {
    closeAfterResponse = true;
    bodyUnread |= !requestDone;
    requestDone = true;
  }

  protected final boolean isRequestDone() {
    return requestDone;
  }

  protected final boolean isDiscardingBody() {
    return discardingBody;
  }

  /** Whether the client asked for {@code 100-continue} and the body has not been read yet. */
  protected final boolean expectsContinue() {
    return !requestDone && HttpUtil.is100ContinueExpected(request);
  }

  /** Sends a complete response; a HEAD request gets the headers only. */
  protected final void respond(FullHttpResponse response) {
    if (request.method().equals(HttpMethod.HEAD) && response.content().isReadable()) {
      FullHttpResponse headersOnly = response.replace(Unpooled.EMPTY_BUFFER);
      response.release();
      response = headersOnly;
    }
    prepareHead(response);
    bytesSent += response.content().readableBytes();
    front.write(response).addListener(f -> responseComplete());
    front.flush();
  }

  protected final void respond(ProxyFailure failure) {
    respond(ErrorPages.page(failure, front.alloc()));
  }

  /** An interim {@code 100 Continue} (RFC 9110 §15.2.1) before reading the body. */
  protected final void sendContinue() {
    front.write(new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.CONTINUE));
    front.flush();
  }

  /** Writes the response head (not flushed); see {@link #prepareHead}. */
  protected final void writeHead(HttpResponse head) {
    prepareHead(head);
    front.write(head);
  }

  /**
   * Adds what every HTTPS response gets: HSTS unless the app sent its own, and on HTTP/1.x the keep-alive
   * decision (RFC 9112 §9.3): the connection stays open only if the client wants it, nothing went wrong, and
   * the response's end can be told without a close.
   */
  private void prepareHead(HttpResponse head) {
    status = head.status().code();
    Optional<String> hsts = info.strictTransportSecurity();
    if (hsts.isPresent() && !head.headers().contains(STRICT_TRANSPORT_SECURITY)) {
      head.headers().add(STRICT_TRANSPORT_SECURITY, hsts.get());
    }
    if (front.isHttp2() || status < 200) {
      return;
    }
    keepAlive =
        !closeAfterResponse
            && !front.runtime().isDraining()
            && HttpUtil.isKeepAlive(request)
            && (HttpUtil.isContentLengthSet(head)
                || HttpUtil.isTransferEncodingChunked(head)
                || status == 204
                || status == 304
                || request.method().equals(HttpMethod.HEAD));
    HttpUtil.setKeepAlive(head, keepAlive);
  }

  /** Writes a piece of the response body (not flushed); counts it for the access log. */
  protected final ChannelFuture writeContent(HttpContent content) {
    bytesSent += content.content().readableBytes();
    return front.write(content);
  }

  /** The response's last content has been written. */
  protected final void responseComplete() {
    responseDone = true;
    if (closeAfterResponse) {
      requestDone = true;
    }
    maybeFinish();
  }

  /** The response no longer depends on the body: read and drop what is left of it. */
  protected final void discardRestOfRequest() {
    if (!requestDone) {
      discardingBody = true;
      front.readRequest();
    }
  }

  protected final boolean isResponseDone() {
    return responseDone;
  }

  protected final boolean isFinished() {
    return finished;
  }

  private void maybeFinish() {
    if (requestDone && responseDone) {
      finish();
    }
  }

  /** Ends the exchange once: logs it and hands the connection back to the front handler. */
  protected final void finish() {
    if (finished) {
      return;
    }
    finished = true;
    ReferenceCountUtil.release(request);
    front.exchangeFinished(this);
  }

  /** Whether the connection can carry another request: everything read and written, keep-alive agreed. */
  boolean connectionReusable() {
    return requestDone && responseDone && keepAlive && !closeAfterResponse;
  }

  /** Whether the client may still be sending a body nobody read: close gently, not with a reset. */
  boolean bodyLeftUnread() {
    return bodyUnread || !requestDone;
  }

  int status() {
    return status;
  }

  long bytesSent() {
    return bytesSent;
  }
}
