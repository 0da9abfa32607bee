package dev.gatehouse.admin;

import dev.gatehouse.certs.CertificateStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Certificate and HSTS metrics, read from {@link ServedState} at each scrape (callbacks: nothing is stored
 * twice). Timestamps are seconds since the epoch, as Prometheus' {@code time()} returns, so an alert is
 * {@code gatehouse_certificate_expiry_timestamp_seconds - time() < 7 * 86400}.
 */
final class CertificateMetrics {
  private CertificateMetrics() {}

  static void register(PrometheusRegistry registry, ServedState state) {
    timestamp(registry, state, "gatehouse_certificate_expiry_timestamp_seconds",
        "When the served certificate expires (notAfter).", c -> c.current().map(k -> k.notAfter()));
    timestamp(registry, state, "gatehouse_certificate_renewal_timestamp_seconds",
        "When the certificate is planned to renew.", c -> c.schedule().map(s -> s.renewAt()));
    timestamp(registry, state, "gatehouse_certificate_last_renewal_success_timestamp_seconds",
        "When this process last issued or renewed the certificate.", CertificateStatus::lastSuccess);
    timestamp(registry, state, "gatehouse_certificate_last_renewal_failure_timestamp_seconds",
        "When this process last failed to issue or renew the certificate.", CertificateStatus::lastFailure);
    timestamp(registry, state, "gatehouse_certificate_ari_window_start_timestamp_seconds",
        "Start of the CA's suggested renewal window (RFC 9773), when the CA offers one.",
        c -> c.schedule().flatMap(s -> s.window()).map(w -> w.start()));
    timestamp(registry, state, "gatehouse_certificate_ari_window_end_timestamp_seconds",
        "End of the CA's suggested renewal window (RFC 9773), when the CA offers one.",
        c -> c.schedule().flatMap(s -> s.window()).map(w -> w.end()));
    GaugeWithCallback.builder()
        .name("gatehouse_certificate_renewal_failing")
        .help("1 while the last attempt to issue or renew the certificate failed, else 0.")
        .labelNames("name")
        .callback(cb -> state.certificates().forEach(c -> cb.call(c.lastError().isPresent() ? 1 : 0, c.name())))
        .register(registry);
    CounterWithCallback.builder()
        .name("gatehouse_certificate_renewal_failures_total")
        .help("Failed attempts to issue or renew the certificate since start, by reason.")
        .labelNames("name", "reason")
        .callback(cb -> state.certificates().forEach(
            c -> c.failuresByReason().forEach((reason, count) -> cb.call(count, c.name(), reason))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("gatehouse_hsts_max_age_seconds")
        .help("The Strict-Transport-Security max-age each host is sent now (the HSTS ramp's stage); -1 for off.")
        .labelNames("host")
        .callback(cb -> state.hstsStages().forEach(h -> cb.call(h.maxAgeSeconds(), h.host())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("gatehouse_hsts_next_stage_timestamp_seconds")
        .help("When the HSTS ramp moves the host to its next, longer max-age if HTTPS keeps working.")
        .labelNames("host")
        .callback(cb -> state.hstsStages().forEach(
            h -> h.risesAt().ifPresent(at -> cb.call(seconds(at), h.host()))))
        .register(registry);
  }

  private static void timestamp(
      PrometheusRegistry registry,
      ServedState state,
      String name,
      String help,
      Function<CertificateStatus, Optional<Instant>> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help + " Seconds since the epoch; absent when unknown.")
        .labelNames("name")
        .callback(cb -> state.certificates().forEach(c -> value.apply(c).ifPresent(t -> cb.call(seconds(t), c.name()))))
        .register(registry);
  }

  private static double seconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }
}
