package dev.gatehouse.admin;

import dev.gatehouse.proxy.TlsHandshakeObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * TLS handshakes on the HTTPS port (completed ones by version, failed ones by reason) and the connections open
 * by protocol. Called on event loops; per connection, not per request.
 */
final class TlsMetrics implements TlsHandshakeObserver {

  private final Counter handshakes;
  private final ConcurrentMap<String, CounterDataPoint> byVersion = new ConcurrentHashMap<>();
  private final Map<Reason, CounterDataPoint> byReason = new EnumMap<>(Reason.class);
  private final Gauge open;

  TlsMetrics(PrometheusRegistry registry) {
    handshakes =
        Counter.builder()
            .name("gatehouse_tls_handshakes_total")
            .help("Completed TLS handshakes on the HTTPS port, by TLS version.")
            .labelNames("version")
            .register(registry);
    Counter failures =
        Counter.builder()
            .name("gatehouse_tls_handshake_failures_total")
            .help("Failed TLS handshakes on the HTTPS port: unknown_name (SNI without a certificate here),"
                + " protocol_version (TLS below 1.2), timeout, other.")
            .labelNames("reason")
            .register(registry);
    for (Reason reason : Reason.values()) {
      byReason.put(reason, failures.labelValues(reason.label()));
    }
    open =
        Gauge.builder()
            .name("gatehouse_open_connections")
            .help("Client connections on the HTTPS port now, by protocol (h2, http/1.1), after the handshake.")
            .labelNames("protocol")
            .register(registry);
  }

  @Override
  public void connectionOpened(String protocol) {
    open.labelValues(protocol).inc();
  }

  @Override
  public void connectionClosed(String protocol) {
    open.labelValues(protocol).dec();
  }

  @Override
  public void handshakeCompleted(String tlsVersion) {
    CounterDataPoint point = byVersion.get(tlsVersion);
    if (point == null) {
      point = byVersion.computeIfAbsent(tlsVersion, handshakes::labelValues);
    }
    point.inc();
  }

  @Override
  public void handshakeFailed(Reason reason) {
    byReason.get(reason).inc();
  }
}
