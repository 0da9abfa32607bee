package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.Optional;

/** Which response the response-header checks judge: the page the start URL arrives at over HTTPS. */
final class HeaderCheckSupport {
  private HeaderCheckSupport() {}

  /** The landing page, or the last response of the start chain when it did not arrive (a loop). */
  static Optional<ProbeResponse> inspectedPage(AuditContext context) {
    return context.landingPage().or(() -> context.startPage().last());
  }
}
