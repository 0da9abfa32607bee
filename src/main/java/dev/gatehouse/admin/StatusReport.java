package dev.gatehouse.admin;

import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.proxy.HstsStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the status page, {@code /status.json} and {@code /readyz} show, gathered once per request.
 * Gathering probes the upstreams ({@link UpstreamProbe}), so it blocks: admin thread only.
 */
record StatusReport(
    Instant now,
    List<CertificateHealth> certificates,
    List<HstsStage> hsts,
    List<UpstreamHealth> upstreams,
    List<RecentErrors.Entry> recentErrors) {

  /**
   * One site's app server.
   *
   * @param upstream its {@code --upstream} spec; empty for a site without one (the built-in page)
   * @param problem empty when it answered
   */
  record UpstreamHealth(String site, Optional<String> upstream, Optional<String> problem) {
    boolean healthy() {
      return problem.isEmpty();
    }
  }

  static StatusReport gather(ServedState state, RecentErrors errors, Instant now) {
    List<CertificateHealth> certificates =
        state.certificates().stream().map(c -> new CertificateHealth(c, now)).toList();
    List<UpstreamHealth> upstreams = new ArrayList<>();
    for (SiteConfig site : state.config().sites()) {
      upstreams.add(
          new UpstreamHealth(
              site.primaryName(),
              site.upstream().map(u -> u.spec()),
              site.upstream().flatMap(u -> UpstreamProbe.problem(u, site.primaryName()))));
    }
    return new StatusReport(now, certificates, state.hstsStages(), upstreams, errors.entries());
  }

  /** {@code /readyz}: every site has a valid certificate and its app server answers. */
  boolean ready() {
    return certificates.stream().allMatch(CertificateHealth::valid)
        && upstreams.stream().allMatch(UpstreamHealth::healthy);
  }

  /** Why not ready, one reason a line; empty when ready. */
  List<String> unreadyReasons() {
    List<String> reasons = new ArrayList<>();
    for (CertificateHealth c : certificates) {
      if (!c.valid()) {
        reasons.add("certificate " + c.status().name() + ": none valid"
            + c.status().lastError().map(e -> " (" + e + ")").orElse(""));
      }
    }
    for (UpstreamHealth u : upstreams) {
      u.problem().ifPresent(p -> reasons.add("upstream " + u.upstream().orElse("") + " of " + u.site() + ": " + p));
    }
    return reasons;
  }

  /** {@code gatehouse status} exits 1 when this is true. */
  boolean needsAttention() {
    return certificates.stream().anyMatch(CertificateHealth::needsAttention);
  }
}
