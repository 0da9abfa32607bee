package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.RedirectChain;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Following redirects from the start URL (over HTTPS, and from plain HTTP) must end at a page. The classic
 * loop: Django with {@code SECURE_SSL_REDIRECT = True} behind a proxy it cannot see HTTPS through redirects every
 * HTTPS request to itself.
 */
public final class RedirectLoopCheck implements AuditCheck {
  @Override
  public String id() {
    return "redirect-loop";
  }

  @Override
  public String description() {
    return "redirects from the start URL end at a page, without a loop";
  }

  @Override
  public CheckResult run(AuditContext context) {
    List<Finding> findings = new ArrayList<>();
    RedirectChain https = context.startPage();
    judge(https, findings);
    RedirectChain http = context.httpEntry();
    if (http.ending() == RedirectChain.Ending.LOOP || http.ending() == RedirectChain.Ending.TOO_MANY) {
      if (https.ending() == RedirectChain.Ending.ARRIVED) {
        judge(http, findings);
      }
    }
    if (findings.isEmpty() && https.ending() == RedirectChain.Ending.ARRIVED) {
      findings.add(finding(Severity.OK, context.options().url(),
          "The start URL arrives at a page after " + (https.hops().size() - 1) + " redirect(s).",
          https.describe(), ""));
    }
    if (findings.isEmpty()) {
      // The chain failed for another reason (refused, timeout): other checks report that.
      return CheckResult.skipped(this, "the start URL could not be followed: " + https.describe());
    }
    return CheckResult.of(this, findings);
  }

  private void judge(RedirectChain chain, List<Finding> findings) {
    if (chain.ending() != RedirectChain.Ending.LOOP && chain.ending() != RedirectChain.Ending.TOO_MANY) {
      return;
    }
    URI start = chain.hops().get(0).uri();
    ProbeResponse last = chain.last().orElseThrow();
    URI target = last.location().orElse(last.uri());
    boolean selfLoop = target.equals(last.uri()) && "https".equalsIgnoreCase(target.getScheme());
    boolean throughHttp = chain.hops().stream().anyMatch(h -> "http".equalsIgnoreCase(h.uri().getScheme()))
        && chain.hops().stream().anyMatch(h -> "https".equalsIgnoreCase(h.uri().getScheme()));
    String message;
    if (selfLoop) {
      message = "Redirect loop: " + target + " redirects to itself. This is Django's SECURE_SSL_REDIRECT "
          + "redirecting a request that already came over HTTPS, because the app does not see HTTPS: the proxy "
          + "sends no X-Forwarded-Proto, or Django lacks SECURE_PROXY_SSL_HEADER.";
    } else if (throughHttp) {
      message = "Redirect loop between http:// and https://: the proxy sends HTTP to HTTPS and the app sends "
          + "HTTPS back to http://, because the app does not see that the request came over HTTPS.";
    } else if (chain.ending() == RedirectChain.Ending.LOOP) {
      message = "Redirect loop: the chain comes back to a URL it already visited.";
    } else {
      message = "More than " + (chain.hops().size() - 1) + " redirects without arriving at a page.";
    }
    findings.add(finding(Severity.ERROR, start, message, chain.describe(),
        Fixes.FORWARDED_PROTO + " Or leave SECURE_SSL_REDIRECT off and let the proxy redirect port 80."));
  }
}
