package dev.gatehouse.audit;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one check produced: its findings, or the reason it did not apply (no login form, no
 * {@code --upstream-ports} given).
 *
 * @param checkId the check's {@link AuditCheck#id()}
 * @param description the check's {@link AuditCheck#description()}
 * @param findings everything it saw, in the order it saw it
 * @param skippedBecause present when the check did not apply to this deployment
 * @param elapsed how long the check ran, including fetching what it was the first to need
 */
public record CheckResult(String checkId, String description, List<Finding> findings,
    Optional<String> skippedBecause, Duration elapsed) {

  public CheckResult {
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(description, "description");
    findings = List.copyOf(findings);
    Objects.requireNonNull(skippedBecause, "skippedBecause");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  public static CheckResult of(AuditCheck check, List<Finding> findings) {
    return new CheckResult(check.id(), check.description(), findings, Optional.empty(), Duration.ZERO);
  }

  public static CheckResult skipped(AuditCheck check, String reason) {
    return new CheckResult(check.id(), check.description(), List.of(), Optional.of(reason), Duration.ZERO);
  }

  /** This result with the time its check took (set by {@link AuditRunner}). */
  public CheckResult withElapsed(Duration time) {
    return new CheckResult(checkId, description, findings, skippedBecause, time);
  }

  /** The worst severity among the findings; {@link Severity#OK} when there are none. */
  public Severity worst() {
    return findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
  }
}
