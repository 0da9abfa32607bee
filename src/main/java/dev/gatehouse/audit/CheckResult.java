package dev.gatehouse.audit;

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
 */
public record CheckResult(String checkId, String description, List<Finding> findings,
    Optional<String> skippedBecause) {

  public CheckResult {
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(description, "description");
    findings = List.copyOf(findings);
    Objects.requireNonNull(skippedBecause, "skippedBecause");
  }

  public static CheckResult of(AuditCheck check, List<Finding> findings) {
    return new CheckResult(check.id(), check.description(), findings, Optional.empty());
  }

  public static CheckResult skipped(AuditCheck check, String reason) {
    return new CheckResult(check.id(), check.description(), List.of(), Optional.of(reason));
  }

  /** The worst severity among the findings; {@link Severity#OK} when there are none. */
  public Severity worst() {
    return findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
  }
}
