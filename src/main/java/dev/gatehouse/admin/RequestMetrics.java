package dev.gatehouse.admin;

import dev.gatehouse.proxy.RequestObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-site request metrics, recorded where each request is logged. Called on event loops: each site's series
 * are looked up once and kept ({@link Series}), so a request costs a map read and a few striped-counter
 * increments (the Prometheus client's data points), no label-list allocation. Exemplars are off: Gatehouse has
 * no tracing, so the trace ids they carry would always be empty, and sampling them costs per observation. Sites are the configured names
 * (or empty for requests that named none), so the number of series is bounded by the configuration.
 */
final class RequestMetrics implements RequestObserver {

  /**
   * Request durations, in seconds: from a cached static file (well under a millisecond) to a slow Django
   * view near the default 60 s upstream timeout.
   */
  static final double[] DURATION_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final Counter requests;
  private final Histogram duration;
  private final Counter responseBytes;
  private final Counter upstreamErrors;
  private final ConcurrentMap<String, Series> sites = new ConcurrentHashMap<>();

  RequestMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("gatehouse_http_requests_total")
            .help("Requests answered, by site, protocol and status class (499: the client went away first).")
            .labelNames("site", "protocol", "code")
            .withoutExemplars()
            .register(registry);
    duration =
        Histogram.builder()
            .name("gatehouse_http_request_duration_seconds")
            .help("From a request's head arriving to its last byte sent.")
            .labelNames("site", "protocol")
            .classicOnly()
            .classicUpperBounds(DURATION_BUCKETS)
            .withoutExemplars()
            .register(registry);
    responseBytes =
        Counter.builder()
            .name("gatehouse_http_response_body_bytes_total")
            .help("Response body bytes sent, by site and protocol.")
            .labelNames("site", "protocol")
            .withoutExemplars()
            .register(registry);
    upstreamErrors =
        Counter.builder()
            .name("gatehouse_upstream_errors_total")
            .help("Answers 502 (app unreachable) and 504 (app too slow), by site.")
            .labelNames("site", "code")
            .withoutExemplars()
            .register(registry);
  }

  @Override
  public void requestFinished(String site, String protocol, int status, long durationNanos, long bytesSent) {
    Series series = sites.get(site);
    if (series == null) {
      series = sites.computeIfAbsent(site, Series::new);
    }
    ProtocolSeries p = series.of(protocol);
    int statusClass = Math.max(1, Math.min(5, status / 100));
    p.byClass[statusClass - 1].inc();
    p.duration.observe(durationNanos / 1e9);
    if (bytesSent > 0) {
      p.bytes.inc(bytesSent);
    }
    if (status == 502) {
      series.badGateway.inc();
    } else if (status == 504) {
      series.gatewayTimeout.inc();
    }
  }

  /** One site's data points, bound once. */
  private final class Series {
    final ProtocolSeries http10;
    final ProtocolSeries http11;
    final ProtocolSeries h2;
    final CounterDataPoint badGateway;
    final CounterDataPoint gatewayTimeout;

    Series(String site) {
      http10 = new ProtocolSeries(site, "http/1.0");
      http11 = new ProtocolSeries(site, "http/1.1");
      h2 = new ProtocolSeries(site, "h2");
      badGateway = upstreamErrors.labelValues(site, "502");
      gatewayTimeout = upstreamErrors.labelValues(site, "504");
    }

    /** The protocol as ALPN names it (RFC 7301): {@code h2}, {@code http/1.1}, {@code http/1.0}. */
    ProtocolSeries of(String protocol) {
      return switch (protocol) {
        case "HTTP/2.0" -> h2;
        case "HTTP/1.1" -> http11;
        default -> http10;
      };
    }
  }

  private final class ProtocolSeries {
    final CounterDataPoint[] byClass = new CounterDataPoint[STATUS_CLASSES.length];
    final DistributionDataPoint duration;
    final CounterDataPoint bytes;

    ProtocolSeries(String site, String protocol) {
      for (int i = 0; i < STATUS_CLASSES.length; i++) {
        byClass[i] = requests.labelValues(site, protocol, STATUS_CLASSES[i]);
      }
      duration = RequestMetrics.this.duration.labelValues(site, protocol);
      bytes = responseBytes.labelValues(site, protocol);
    }
  }
}
