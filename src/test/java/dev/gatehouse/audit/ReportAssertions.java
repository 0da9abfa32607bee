package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.audit.report.TextReportRenderer;
import java.util.List;

/** Assertions on an {@link AuditReport} that print the whole text report when they fail. */
final class ReportAssertions {
  private ReportAssertions() {}

  static String text(AuditReport report) {
    return new TextReportRenderer(false, 140).render(report, Severity.ERROR);
  }

  static List<Finding> findingsOf(AuditReport report, String checkId) {
    return report.findings().stream().filter(f -> f.checkId().equals(checkId)).toList();
  }

  static CheckResult resultOf(AuditReport report, String checkId) {
    return report.results().stream().filter(r -> r.checkId().equals(checkId)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + checkId + " in\n" + text(report)));
  }

  /** No warning and no error anywhere. */
  static void assertClean(AuditReport report) {
    assertThat(report.findings()).as(text(report))
        .noneMatch(f -> f.severity().reaches(Severity.WARNING));
  }

  /** {@code checkId} ran and reported nothing worse than OK/INFO. */
  static void assertPasses(AuditReport report, String checkId) {
    CheckResult result = resultOf(report, checkId);
    assertThat(result.skippedBecause()).as(checkId + " skipped?\n" + text(report)).isEmpty();
    assertThat(result.worst()).as(checkId + "\n" + text(report)).isIn(Severity.OK, Severity.INFO);
    assertThat(result.findings()).as(checkId + "\n" + text(report)).isNotEmpty();
  }

  /** {@code checkId} reported a finding of {@code severity} whose message contains {@code text}. */
  static Finding assertFinds(AuditReport report, String checkId, Severity severity, String messagePart) {
    List<Finding> findings = findingsOf(report, checkId);
    assertThat(findings).as(checkId + " should report " + severity + " '" + messagePart + "'\n" + text(report))
        .anyMatch(f -> f.severity() == severity && f.message().contains(messagePart));
    return findings.stream().filter(f -> f.severity() == severity && f.message().contains(messagePart))
        .findFirst().orElseThrow();
  }
}
