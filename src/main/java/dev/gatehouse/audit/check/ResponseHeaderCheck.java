package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A check of the response headers of the page the start URL arrives at over HTTPS and of the app's answer at
 * {@link AuditContext#appUrl()} when that is another page: where the proxy answers {@code /} itself, the headers
 * the app sends are only seen on the app's pages. A redirect is not judged (Django's own redirects skip some
 * middleware), and when neither page is there the check is skipped: redirect-loop reports that.
 */
abstract class ResponseHeaderCheck implements AuditCheck {

  @Override
  public final CheckResult run(AuditContext context) throws IOException {
    List<ProbeResponse> pages = new ArrayList<>();
    context.landingPage().ifPresent(pages::add);
    Optional<ProbeResponse> app = context.appUrl().answer().filter(a -> !a.isRedirect());
    if (app.isPresent() && pages.stream().noneMatch(p -> ProbeClient.normalize(p.uri())
        .equals(ProbeClient.normalize(app.get().uri())))) {
      pages.add(app.get());
    }
    if (pages.isEmpty()) {
      return CheckResult.skipped(this, "the start URL does not arrive at a page: " + context.startPage().describe());
    }
    List<Finding> findings = new ArrayList<>();
    for (ProbeResponse page : pages) {
      findings.addAll(judge(page, context).findings());
    }
    return CheckResult.of(this, findings);
  }

  /** The findings for one page's {@code response}. */
  abstract CheckResult judge(ProbeResponse response, AuditContext context) throws IOException;
}
