package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.Optional;

/**
 * Which response the response-header checks judge: the page the start URL arrives at over HTTPS. A redirect is
 * not judged (Django's own redirects skip some middleware), and when the start URL never arrives the checks are
 * skipped: redirect-loop reports that.
 */
final class HeaderCheckSupport {
  private HeaderCheckSupport() {}

  static Optional<ProbeResponse> inspectedPage(AuditContext context) {
    return context.landingPage();
  }

  /** Why there is no page to judge. */
  static String noPageReason(AuditContext context) {
    return "the start URL does not arrive at a page: " + context.startPage().describe();
  }
}
