package dev.gatehouse.proxy;

import static io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * An HTTP/2 request's header blocks as the HTTP/1 messages the exchanges read: the conversion of Netty's
 * {@code Http2StreamFrameToHttpObjectCodec}, message for message ({@link HttpConversionUtil} does the work),
 * without an empty pooled buffer for the body of a request that has none. Two checks come first:
 *
 * <ul>
 *   <li>RFC 9113 §8.3.1: a request without {@code :method}, {@code :scheme} or {@code :path}, or with an empty
 *       {@code :path}, is malformed: a stream error PROTOCOL_ERROR (§8.1.1), never an answer and never a wait.
 *       (CONNECT, §8.5, has neither {@code :scheme} nor {@code :path} and is left to the conversion.)
 *   <li>The header-field cap of HTTP/1.1: a request with more than {@code maxHeaderCount} fields is passed on
 *       marked failed, so it is answered 431 (RFC 6585 §5) on its stream and never reaches the upstream. The
 *       connection only bounds the header block's size (SETTINGS_MAX_HEADER_LIST_SIZE), and many tiny fields
 *       fit in it. Pseudo-header fields do not count, as the HTTP/1.1 request line does not.
 * </ul>
 */
final class Http2RequestHeads {

  private Http2RequestHeads() {}

  /**
   * The request head: a block that ends the stream is the whole request (a {@code FullHttpRequest}); one that
   * does not is followed by DATA, chunked unless it declares its length (RFC 9113 §8.1: an HTTP/2 body has no
   * framing of its own).
   */
  static HttpRequest head(int streamId, Http2Headers headers, boolean endStream, int maxHeaderCount)
      throws Http2Exception {
    checkPseudoHeaders(streamId, headers);
    HttpRequest request;
    if (endStream) {
      request = HttpConversionUtil.toFullHttpRequest(streamId, headers, Unpooled.EMPTY_BUFFER, true);
    } else {
      request = HttpConversionUtil.toHttpRequest(streamId, headers, true);
      if (!HttpUtil.isContentLengthSet(request)) {
        request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }
    if (regularFields(headers, maxHeaderCount) > maxHeaderCount) {
      request.setDecoderResult(
          DecoderResult.failure(new TooLongHttpHeaderException("more than " + maxHeaderCount + " header fields")));
    }
    return request;
  }

  /** A header block after the body: the trailers, which end the request (RFC 9113 §8.1). */
  static LastHttpContent trailers(int streamId, Http2Headers headers) throws Http2Exception {
    LastHttpContent trailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    HttpConversionUtil.addHttp2ToHttpHeaders(
        streamId, headers, trailers.trailingHeaders(), HttpVersion.HTTP_1_1, true, true);
    return trailers;
  }

  private static void checkPseudoHeaders(int streamId, Http2Headers headers) throws Http2Exception {
    CharSequence method = headers.method();
    if (method == null) {
      throw Http2Exception.streamError(streamId, PROTOCOL_ERROR, "request without :method (RFC 9113 §8.3.1)");
    }
    if (HttpMethod.CONNECT.asciiName().contentEquals(method)) {
      return;
    }
    if (headers.scheme() == null) {
      throw Http2Exception.streamError(streamId, PROTOCOL_ERROR, "request without :scheme (RFC 9113 §8.3.1)");
    }
    CharSequence path = headers.path();
    if (path == null || path.length() == 0) {
      throw Http2Exception.streamError(streamId, PROTOCOL_ERROR, "request without :path (RFC 9113 §8.3.1)");
    }
  }

  /** Fields that are not pseudo-header fields; counted one by one only when the total could be over the limit. */
  private static int regularFields(Http2Headers headers, int maxHeaderCount) {
    int size = headers.size();
    if (size <= maxHeaderCount) {
      return size;
    }
    int pseudo = 0;
    for (var field : headers) {
      if (Http2Headers.PseudoHeaderName.hasPseudoHeaderFormat(field.getKey())) {
        pseudo++;
      }
    }
    return size - pseudo;
  }
}
