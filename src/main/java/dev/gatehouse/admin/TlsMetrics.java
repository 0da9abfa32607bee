package dev.gatehouse.admin;

import dev.gatehouse.proxy.TlsHandshakeObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * TLS handshakes on the HTTPS port: completed ones by version, failed ones by reason. Called on event loops;
 * the data points are bound once (versions are the few the server accepts).
 */
final class TlsMetrics implements TlsHandshakeObserver {

  private final Counter handshakes;
  private final ConcurrentMap<String, CounterDataPoint> byVersion = new ConcurrentHashMap<>();
  private final Map<Reason, CounterDataPoint> byReason = new EnumMap<>(Reason.class);

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
