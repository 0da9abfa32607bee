package dev.gatehouse.config;

import java.time.Duration;

/**
 * Every limit the proxy enforces, each with a named default. Defaults follow nginx's where an operator
 * would compare (keep-alive 75 s, upstream read 60 s) and RFC 9112's advice for request framing.
 *
 * @param maxBodyBytes largest request body accepted; larger gets 413 ({@code --max-body})
 * @param maxInitialLineBytes longest request line; longer gets 414
 * @param maxHeaderBytes largest header section; larger gets 431
 * @param maxHeaderCount most header fields; more gets 431
 * @param headerReadTimeout time for a client to send its whole request head (slowloris)
 * @param bodyIdleTimeout longest pause while a request body is arriving
 * @param keepAliveTimeout how long an idle client connection is kept open
 * @param tlsHandshakeTimeout time for a client to finish the TLS handshake
 * @param writeTimeout longest stall while the client reads a response (slow read)
 * @param upstreamConnectTimeout time to connect to Gunicorn/Uvicorn; past it: 502
 * @param upstreamResponseTimeout time for the upstream to start answering; past it: 504
 * @param upstreamIdleTimeout how long an idle pooled upstream connection is kept
 * @param drainTimeout how long SIGTERM waits for in-flight requests
 * @param maxConnectionsPerIp open client connections per address; 0 means no cap
 */
public record Limits(
    long maxBodyBytes,
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int maxHeaderCount,
    Duration headerReadTimeout,
    Duration bodyIdleTimeout,
    Duration keepAliveTimeout,
    Duration tlsHandshakeTimeout,
    Duration writeTimeout,
    Duration upstreamConnectTimeout,
    Duration upstreamResponseTimeout,
    Duration upstreamIdleTimeout,
    Duration drainTimeout,
    int maxConnectionsPerIp) {

  public static final long DEFAULT_MAX_BODY_BYTES = 20L << 20;
  public static final int DEFAULT_MAX_INITIAL_LINE_BYTES = 8 << 10;
  public static final int DEFAULT_MAX_HEADER_BYTES = 16 << 10;
  public static final int DEFAULT_MAX_HEADER_COUNT = 100;
  public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BODY_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(75);
  public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_UPSTREAM_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_UPSTREAM_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  public static final Limits DEFAULTS =
      new Limits(
          DEFAULT_MAX_BODY_BYTES,
          DEFAULT_MAX_INITIAL_LINE_BYTES,
          DEFAULT_MAX_HEADER_BYTES,
          DEFAULT_MAX_HEADER_COUNT,
          DEFAULT_HEADER_READ_TIMEOUT,
          DEFAULT_BODY_IDLE_TIMEOUT,
          DEFAULT_KEEP_ALIVE_TIMEOUT,
          DEFAULT_TLS_HANDSHAKE_TIMEOUT,
          DEFAULT_WRITE_TIMEOUT,
          DEFAULT_UPSTREAM_CONNECT_TIMEOUT,
          DEFAULT_UPSTREAM_RESPONSE_TIMEOUT,
          DEFAULT_UPSTREAM_IDLE_TIMEOUT,
          DEFAULT_DRAIN_TIMEOUT,
          0);

  public Limits withMaxBodyBytes(long bytes) {
    return new Limits(
        bytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, headerReadTimeout, bodyIdleTimeout,
        keepAliveTimeout, tlsHandshakeTimeout, writeTimeout, upstreamConnectTimeout, upstreamResponseTimeout,
        upstreamIdleTimeout, drainTimeout, maxConnectionsPerIp);
  }

  public Limits withUpstreamResponseTimeout(Duration timeout) {
    return new Limits(
        maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, headerReadTimeout, bodyIdleTimeout,
        keepAliveTimeout, tlsHandshakeTimeout, writeTimeout, upstreamConnectTimeout, timeout,
        upstreamIdleTimeout, drainTimeout, maxConnectionsPerIp);
  }
}
