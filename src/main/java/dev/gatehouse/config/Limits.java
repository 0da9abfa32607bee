package dev.gatehouse.config;

import java.time.Duration;
import java.util.List;

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
 * @param bufferRequestBodies whether request bodies are read whole before the upstream sees the request
 *     (slow uploads then hold no Gunicorn worker); off for streaming endpoints ({@code --no-buffer-requests})
 * @param bodyMemoryBytes how much of a buffered body stays in memory; the rest goes to a temporary file
 * @param streamedPrefixes paths whose bodies are streamed even while buffering is on ({@code --stream-requests})
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
    int maxConnectionsPerIp,
    boolean bufferRequestBodies,
    int bodyMemoryBytes,
    List<StreamedPrefix> streamedPrefixes) {

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
  /** nginx keeps 8-16 KiB of a body in memory; 1 MiB keeps typical form posts off the disk. */
  public static final int DEFAULT_BODY_MEMORY_BYTES = 1 << 20;

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
          0,
          true,
          DEFAULT_BODY_MEMORY_BYTES,
          List.of());

  public Limits {
    streamedPrefixes = List.copyOf(streamedPrefixes);
  }

  public Limits withMaxBodyBytes(long bytes) {
    return new Limits(
        bytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, headerReadTimeout, bodyIdleTimeout,
        keepAliveTimeout, tlsHandshakeTimeout, writeTimeout, upstreamConnectTimeout, upstreamResponseTimeout,
        upstreamIdleTimeout, drainTimeout, maxConnectionsPerIp, bufferRequestBodies, bodyMemoryBytes, streamedPrefixes);
  }

  public Limits withUpstreamResponseTimeout(Duration timeout) {
    return new Limits(
        maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, headerReadTimeout, bodyIdleTimeout,
        keepAliveTimeout, tlsHandshakeTimeout, writeTimeout, upstreamConnectTimeout, timeout,
        upstreamIdleTimeout, drainTimeout, maxConnectionsPerIp, bufferRequestBodies, bodyMemoryBytes, streamedPrefixes);
  }

  /** These limits with the named timeout set; {@code name} is one of {@link #TIMEOUT_NAMES}. */
  public Limits withTimeout(String name, Duration value) {
    return new Limits(
        maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount,
        name.equals("header_read_timeout") ? value : headerReadTimeout,
        name.equals("body_idle_timeout") ? value : bodyIdleTimeout,
        name.equals("keep_alive_timeout") ? value : keepAliveTimeout,
        name.equals("tls_handshake_timeout") ? value : tlsHandshakeTimeout,
        name.equals("write_timeout") ? value : writeTimeout,
        upstreamConnectTimeout, upstreamResponseTimeout, upstreamIdleTimeout, drainTimeout, maxConnectionsPerIp,
        bufferRequestBodies, bodyMemoryBytes, streamedPrefixes);
  }

  /** The client timeouts {@link #withTimeout} sets, as TOML keys; the flags are these with dashes. */
  public static final List<String> TIMEOUT_NAMES =
      List.of("header_read_timeout", "body_idle_timeout", "keep_alive_timeout", "tls_handshake_timeout",
          "write_timeout");

  public Limits withMaxConnectionsPerIp(int max) {
    return new Limits(
        maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, headerReadTimeout, bodyIdleTimeout,
        keepAliveTimeout, tlsHandshakeTimeout, writeTimeout, upstreamConnectTimeout, upstreamResponseTimeout,
        upstreamIdleTimeout, drainTimeout, max, bufferRequestBodies, bodyMemoryBytes, streamedPrefixes);
  }

  public Limits withRequestBuffering(boolean buffer, int memoryBytes) {
    return new Limits(
        maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, headerReadTimeout, bodyIdleTimeout,
        keepAliveTimeout, tlsHandshakeTimeout, writeTimeout, upstreamConnectTimeout, upstreamResponseTimeout,
        upstreamIdleTimeout, drainTimeout, maxConnectionsPerIp, buffer, memoryBytes, streamedPrefixes);
  }

  public Limits withStreamedPrefixes(List<StreamedPrefix> prefixes) {
    return new Limits(
        maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxHeaderCount, headerReadTimeout, bodyIdleTimeout,
        keepAliveTimeout, tlsHandshakeTimeout, writeTimeout, upstreamConnectTimeout, upstreamResponseTimeout,
        upstreamIdleTimeout, drainTimeout, maxConnectionsPerIp, bufferRequestBodies, bodyMemoryBytes, prefixes);
  }

  /**
   * Whether a body for {@code rawPath} (percent-encoded, no query) is read whole before forwarding: buffering is
   * on and no {@link #streamedPrefixes} matches.
   */
  public boolean buffersBodyFor(String rawPath) {
    if (!bufferRequestBodies) {
      return false;
    }
    for (StreamedPrefix prefix : streamedPrefixes) {
      if (prefix.matches(rawPath)) {
        return false;
      }
    }
    return true;
  }
}
