package dev.gatehouse.admin;

import dev.gatehouse.proxy.RequestObserver;
import dev.gatehouse.proxy.TlsHandshakeObserver;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Every metric of a running {@code serve}, in one registry of the Prometheus Java client (its own, not the
 * client's global default, so two servers in one JVM, as in tests, do not share counters): certificates and
 * HSTS ({@link CertificateMetrics}), requests ({@link RequestMetrics}), TLS handshakes ({@link
 * TlsMetrics}), build info and the JVM's memory,
 * threads and garbage collection. Names follow https://prometheus.io/docs/practices/naming/: the {@code
 * gatehouse_} prefix, base units, {@code _seconds}, {@code _bytes}, {@code _total}.
 */
final class GatehouseMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final RequestMetrics requests;
  private final TlsMetrics tls;
  private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

  GatehouseMetrics(ServedState state, String version) {
    Info.builder()
        .name("gatehouse_build_info")
        .help("The running Gatehouse: its version and the Java runtime's.")
        .labelNames("version", "java_version")
        .register(registry)
        .setLabelValues(version, System.getProperty("java.version", "unknown"));
    CertificateMetrics.register(registry, state);
    requests = new RequestMetrics(registry);
    tls = new TlsMetrics(registry);
    JvmMetrics.builder().register(registry);
  }

  /** What the proxy calls for each finished request. */
  RequestObserver requestObserver() {
    return requests;
  }

  /** What the proxy calls for each TLS handshake. */
  TlsHandshakeObserver tlsHandshakeObserver() {
    return tls;
  }

  /** The Prometheus text format's media type, version included. */
  String contentType() {
    return text.getContentType();
  }

  /** One scrape, in the Prometheus text format (version 0.0.4). */
  void scrape(OutputStream out) throws IOException {
    text.write(out, registry.scrape());
  }
}
