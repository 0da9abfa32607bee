package dev.gatehouse.proxy;

/**
 * Fired on HTTP/1.1 by {@link RequestBodyBuffer} (through {@link RequestPipe#bufferingStarted}) toward the {@link
 * HttpsRequestHandler} when it starts reading a request's body ahead of the request: the head reaches the handler only once the body is all in, but the request is in
 * flight from now on. The keep-alive timer, which times the pause between requests, stops; a drain waits for
 * the request; {@link GatehouseServer#inFlight()} counts it. (An HTTP/2 stream has no pipeline: the buffer
 * tells its {@link Http2ServerStream} directly.)
 */
enum BufferingStartedEvent {
  INSTANCE
}
