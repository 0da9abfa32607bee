package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.Optional;

/**
 * A check of the response headers of the page the start URL arrives at over HTTPS. A redirect is not judged
 * (Django's own redirects skip some middleware), and when the start URL never arrives the check is skipped:
 * redirect-loop reports that.
 */
abstract class ResponseHeaderCheck implements AuditCheck {

  @Override
  public final CheckResult run(AuditContext context) {
    Optional<ProbeResponse> page = context.landingPage();
    if (page.isEmpty()) {
      return CheckResult.skipped(this, "the start URL does not arrive at a page: " + context.startPage().describe());
    }
    return judge(page.get());
  }

  /** The findings for the landing page's {@code response}. */
  abstract CheckResult judge(ProbeResponse response);
}
