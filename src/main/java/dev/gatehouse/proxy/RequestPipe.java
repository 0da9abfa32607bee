package dev.gatehouse.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.concurrent.EventExecutor;

/**
 * Where a {@link RequestBodyBuffer} sits: between a client that sends request messages when asked and the
 * handler they go on to. On HTTP/1.1 that is its place in the connection's pipeline ({@link #of}); on HTTP/2 it
 * is one {@link Http2ServerStream}, which has no pipeline of its own. The methods are named as on a {@link
 * ChannelHandlerContext} because they mean the same. Event loop only.
 */
interface RequestPipe {

  ByteBufAllocator alloc();

  /** The event loop that every call, and every callback the buffer schedules, runs on. */
  EventExecutor executor();

  /** Asks the client side for the next message; it comes back through the buffer's {@code channelRead}. */
  void read();

  /** Hands a message on towards the request handler. */
  void fireChannelRead(Object msg);

  /** Ends a batch of messages handed on. */
  void fireChannelReadComplete();

  /**
   * The buffer has started reading a request's body ahead of its head: the request is in flight from now on
   * (counted, waited for by a drain, not timed by the keep-alive timeout), although its head goes on only once
   * the body is all in.
   */
  void bufferingStarted();

  /** Sends a message to the client at once (the interim {@code 100 Continue}). */
  void writeAndFlush(HttpObject msg);

  /** Gives up on the client: closes the HTTP/1.1 connection, resets the HTTP/2 stream. */
  void close();

  /**
   * Whether a streamed (not buffered) body needs the body idle timeout from the buffer: an HTTP/2 stream does;
   * on HTTP/1.1, {@link StrictRequestFraming} times bodies on the raw bytes.
   */
  boolean timesStreamedBodies();

  /** The pipe of a handler's place in a channel pipeline: every call goes to {@code ctx}. */
  static RequestPipe of(ChannelHandlerContext ctx) {
    return new RequestPipe() {
      @Override
      public ByteBufAllocator alloc() {
        return ctx.alloc();
      }

      @Override
      public EventExecutor executor() {
        return ctx.executor();
      }

      @Override
      public void read() {
        ctx.read();
      }

      @Override
      public void fireChannelRead(Object msg) {
        ctx.fireChannelRead(msg);
      }

      @Override
      public void fireChannelReadComplete() {
        ctx.fireChannelReadComplete();
      }

      @Override
      public void bufferingStarted() {
        ctx.fireUserEventTriggered(BufferingStartedEvent.INSTANCE);
      }

      @Override
      public void writeAndFlush(HttpObject msg) {
        ctx.writeAndFlush(msg);
      }

      @Override
      public void close() {
        ctx.close();
      }

      @Override
      public boolean timesStreamedBodies() {
        return false;
      }
    };
  }
}
