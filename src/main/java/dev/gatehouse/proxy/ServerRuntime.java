package dev.gatehouse.proxy;

import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.config.Upstream;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every connection of one running server shares: the current configuration (swapped whole on reload),
 * the upstream pool, the HSTS ramp, the access log, the in-flight count. Safe for concurrent use; nothing here
 * blocks.
 */
final class ServerRuntime {

  private final Transport transport;
  private final UpstreamPool pool;
  private final ChallengeResponses challenges;
  private final HstsRamp hstsRamp;
  private final Executor fileExecutor;
  private final StaticFileCache staticFileCache = new StaticFileCache();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConnectionsPerAddress connectionsPerAddress =
      new ConnectionsPerAddress(() -> config().limits().maxConnectionsPerIp());

  private volatile Snapshot snapshot;
  private volatile boolean draining;
  private volatile int httpsPort;

  /** A configuration with what was derived from it when it was loaded. */
  private record Snapshot(ServeConfig config, Map<Upstream, SocketAddress> upstreams, AccessLogWriter accessLog) {}

  ServerRuntime(
      ServeConfig config,
      Transport transport,
      ChallengeResponses challenges,
      HstsRamp hstsRamp,
      AccessLogWriter accessLog,
      Executor fileExecutor) {
    this.transport = transport;
    this.pool = new UpstreamPool(transport);
    this.challenges = challenges;
    this.hstsRamp = hstsRamp;
    this.fileExecutor = fileExecutor;
    this.httpsPort = config.httpsPort();
    this.snapshot = snapshot(config, accessLog);
  }

  /**
   * Swaps in a new configuration; requests already running finish with the one they started with. Resolves
   * upstream host names, so it may block: not on an event loop. Returns the access log writer replaced.
   */
  AccessLogWriter update(ServeConfig config, AccessLogWriter accessLog) {
    AccessLogWriter old = snapshot.accessLog();
    snapshot = snapshot(config, accessLog);
    return old;
  }

  private Snapshot snapshot(ServeConfig config, AccessLogWriter accessLog) {
    Map<Upstream, SocketAddress> upstreams = new HashMap<>();
    for (SiteConfig site : config.sites()) {
      site.upstream().ifPresent(u -> upstreams.computeIfAbsent(u, transport::addressOf));
    }
    return new Snapshot(config, Map.copyOf(upstreams), accessLog);
  }

  ServeConfig config() {
    return snapshot.config();
  }

  /** The resolved address of an upstream of the current configuration. */
  Optional<SocketAddress> addressOf(Upstream upstream) {
    return Optional.ofNullable(snapshot.upstreams().get(upstream));
  }

  AccessLogWriter accessLog() {
    return snapshot.accessLog();
  }

  Transport transport() {
    return transport;
  }

  UpstreamPool pool() {
    return pool;
  }

  ChallengeResponses challenges() {
    return challenges;
  }

  ConnectionsPerAddress connectionsPerAddress() {
    return connectionsPerAddress;
  }

  Executor fileExecutor() {
    return fileExecutor;
  }

  /** Small static files of every mount, shared by all connections. */
  StaticFileCache staticFileCache() {
    return staticFileCache;
  }

  /** The Strict-Transport-Security value for requests to a configured name; empty for {@code --hsts off}. */
  Optional<String> strictTransportSecurity(String configuredName) {
    return Hsts.value(config().hsts(), hstsRamp, configuredName);
  }

  /** The HTTPS port clients reach: redirects point there. */
  int httpsPort() {
    return httpsPort;
  }

  void httpsPort(int port) {
    this.httpsPort = port;
  }

  void requestStarted() {
    inFlight.incrementAndGet();
  }

  void requestFinished(RequestInfo info, int status, long bytes) {
    inFlight.decrementAndGet();
    AccessLogWriter log = snapshot.accessLog();
    if (log.enabled()) {
      log.log(info.accessLogLine(status, bytes));
    }
  }

  /**
   * A request counted by {@link #requestStarted} that ended before it reached an exchange (its client left while
   * the body was being buffered): no response, so no access log line.
   */
  void requestAbandoned() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  boolean isDraining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }
}
