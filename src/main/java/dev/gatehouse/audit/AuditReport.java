package dev.gatehouse.audit;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one audit: every check's result, in the order the checks ran.
 *
 * @param target the audited URL
 * @param startedAt when the audit began
 * @param duration how long it took
 * @param results one per check
 */
public record AuditReport(URI target, Instant startedAt, Duration duration, List<CheckResult> results) {
  public AuditReport {
    results = List.copyOf(results);
  }

  /** Every finding of every check, in report order. */
  public List<Finding> findings() {
    return results.stream().flatMap(r -> r.findings().stream()).toList();
  }

  /** Number of findings per severity, every severity present (zero when none). */
  public Map<Severity, Integer> counts() {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      counts.put(severity, 0);
    }
    findings().forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
    return counts;
  }

  /** The worst severity found; {@link Severity#OK} when there are no findings. */
  public Severity worst() {
    return findings().stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
  }

  /** Whether a finding reaches {@code threshold} ({@code --fail-on}). */
  public boolean fails(Severity threshold) {
    return worst().reaches(threshold);
  }
}
