package dev.gatehouse.proxy;

/**
 * Told about every finished request at the one place it is logged (the access log point), for metrics.
 *
 * <p>Contract: called on an event loop, once per request, from any number of loops at once; it must be
 * thread safe, must not block and should cost no more than a few counter increments.
 */
public interface RequestObserver {

  /** Observes nothing: the server's observer until one is set. */
  RequestObserver NONE = (site, protocol, status, durationNanos, bytesSent) -> {};

  /**
   * One finished request.
   *
   * @param site the configured name the request was for; empty when it named none (400, 421)
   * @param protocol {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}
   * @param status the status sent (499 when the client went away before an answer)
   * @param durationNanos from the request head's arrival to the last byte sent
   * @param bytesSent response body bytes sent
   */
  void requestFinished(String site, String protocol, int status, long durationNanos, long bytesSent);
}
