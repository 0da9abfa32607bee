package dev.gatehouse.audit.report;

import dev.gatehouse.audit.AuditReport;
import dev.gatehouse.audit.Severity;

/** Turns an {@link AuditReport} into one output format. Implementations are stateless and thread-safe. */
public interface ReportRenderer {
  /**
   * @param failOn the {@code --fail-on} threshold: findings at or above it make the audit (and, in JUnit XML,
   *     their check) fail
   */
  String render(AuditReport report, Severity failOn);
}
