package dev.gatehouse.proxy;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line when a site's app server starts failing (502, 504) and one when it answers again, with the
 * count of failed requests in between, instead of a line per request: an outage under load would otherwise
 * flood the log at the rate of the traffic. Called on event loops for every finished request; the common
 * case (no outage, a non-gateway status) costs one map-emptiness check.
 */
final class UpstreamOutageLog {

  private static final System.Logger LOG = System.getLogger(UpstreamOutageLog.class.getName());

  /** A site's current outage. */
  private record Outage(long startNanos, int firstStatus, AtomicLong failed) {}

  private final ConcurrentMap<String, Outage> outages = new ConcurrentHashMap<>();

  /** Sees one finished request of {@code site}. */
  void requestFinished(String site, int status) {
    boolean gatewayFailure = status == 502 || status == 504;
    if (!gatewayFailure && outages.isEmpty()) {
      return;
    }
    if (gatewayFailure) {
      Outage outage = outages.get(site);
      if (outage == null) {
        Outage started = new Outage(System.nanoTime(), status, new AtomicLong());
        outage = outages.putIfAbsent(site, started);
        if (outage == null) {
          outage = started;
          LOG.log(Level.WARNING, "upstream of " + site + " failing: " + status
              + (status == 502 ? " (app server unreachable or broken)" : " (app server too slow)")
              + "; further failures are counted until it answers again (--log-level debug shows each one's cause)");
        }
      }
      outage.failed().incrementAndGet();
      return;
    }
    Outage ended = outages.remove(site);
    if (ended != null && status > 0 && status != 499) {
      LOG.log(Level.WARNING, "upstream of " + site + " answers again after "
          + ended.failed().get() + " failed request(s) over "
          + Duration.ofNanos(System.nanoTime() - ended.startNanos()).toSeconds() + " s (first: " + ended.firstStatus() + ")");
    }
  }
}
