package dev.gatehouse.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpObject;

/**
 * Where an exchange writes its response: an HTTP/1.1 connection, or one stream of an HTTP/2 connection. The
 * exchange writes Netty's HTTP/1 messages whatever the protocol (a head, body pieces, a {@code
 * LastHttpContent} whose trailers, if any, end the response); the sink frames them.
 *
 * <p>Contract: event loop only ({@link #eventLoop}); messages go out in the order written and only on {@link
 * #flush}; the sink owns each message from {@link #write} on. The future {@link #write} returns is the
 * backpressure signal: it completes when the message has gone to the socket, which on HTTP/2 is when the
 * stream's flow-control window let it out (RFC 9113 §5.2). A client that stops reading stalls exactly the
 * futures of its own stream, so an exchange that writes the next piece only after the last one's future
 * completed never makes the proxy buffer without bound, and never stalls another stream.
 */
interface ResponseSink {

  /** The allocator for response bodies and pages. */
  ByteBufAllocator alloc();

  /** The client connection's event loop, which every call must be made on. */
  EventLoop eventLoop();

  /** Queues {@code message}; it goes out at the next {@link #flush}. Fails if the client is gone. */
  ChannelFuture write(HttpObject message);

  /** Sends what was written; on HTTP/2, merged with the connection's other flushes of this event-loop pass. */
  void flush();

  /**
   * The response cannot be completed: the client must see a truncation, not a short response that looks whole.
   * HTTP/1.1 closes the connection; HTTP/2 resets the stream with CANCEL (RFC 9113 §8.1) and the connection's
   * other streams go on.
   */
  void abort();
}
