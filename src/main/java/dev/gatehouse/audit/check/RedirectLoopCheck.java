package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AppEvidence;
import dev.gatehouse.audit.AppUrl;
import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.RedirectChain;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Following redirects must end at a page, from the start URL (over HTTPS, and from plain HTTP), from the app's URL
 * ({@link AuditContext#appUrl()}) and from the login path: where the proxy answers {@code /} itself, only those
 * show the loop.
 * Any HTTPS response seen during the audit that redirects to its own URL is a loop too. The classic one: Django
 * with {@code SECURE_SSL_REDIRECT = True} behind a proxy it cannot see HTTPS through redirects every HTTPS request
 * to itself.
 */
public final class RedirectLoopCheck implements AuditCheck {
  /** Further looping URLs named in the observation of a self-redirect finding; the rest are counted. */
  private static final int MORE_URLS_NAMED = 3;

  @Override
  public String id() {
    return "redirect-loop";
  }

  @Override
  public String description() {
    return "redirects from the start URL and on the app's URLs end at a page, without a loop";
  }

  @Override
  public CheckResult run(AuditContext context) throws IOException {
    List<Finding> findings = new ArrayList<>();
    Set<URI> loopsReported = new HashSet<>();
    RedirectChain https = context.startPage();
    judge(https, findings, loopsReported);
    RedirectChain http = context.httpEntry();
    if (http.ending() == RedirectChain.Ending.LOOP || http.ending() == RedirectChain.Ending.TOO_MANY) {
      if (https.ending() == RedirectChain.Ending.ARRIVED) {
        judge(http, findings, loopsReported);
      }
    }
    AppUrl app = context.appUrl();
    boolean appIsStart = https.hops().stream().anyMatch(hop -> sameUrl(hop.uri(), app.uri()));
    RedirectChain appChain = appIsStart ? https : context.client().follow(ProbeRequest.get(app.uri()));
    judge(appChain, findings, loopsReported);
    ProbeResponse loginPath = context.loginPathResponse();
    if (loginPath.isRedirect() && !sameUrl(loginPath.uri(), app.uri())) {
      judge(context.client().follow(ProbeRequest.get(loginPath.uri())), findings, loopsReported);
    }
    judgeSelfRedirects(context.responsesSoFar(), findings, loopsReported);
    if (findings.isEmpty() && https.ending() == RedirectChain.Ending.ARRIVED) {
      String appToo = appIsStart ? "" : "; so does " + app.describe() + ": " + appChain.describe();
      findings.add(finding(Severity.OK, context.options().url(),
          "The start URL arrives at a page after " + (https.hops().size() - 1) + " redirect(s)" + appToo + ".",
          https.describe(), ""));
    }
    if (findings.isEmpty()) {
      // The chain failed for another reason (refused, timeout): other checks report that.
      return CheckResult.skipped(this, "the start URL could not be followed: " + https.describe());
    }
    return CheckResult.of(this, findings);
  }

  /**
   * One finding for the first HTTPS response seen that redirects to its own URL and is not reported yet (the
   * login path, a page of the crawl, a random path), naming a few of the others.
   */
  private void judgeSelfRedirects(List<ProbeResponse> responses, List<Finding> findings, Set<URI> loopsReported) {
    List<ProbeResponse> selfRedirects = new ArrayList<>();
    Set<URI> seen = new HashSet<>(loopsReported);
    for (ProbeResponse response : responses) {
      if (AppEvidence.redirectsToItself(response) && seen.add(ProbeClient.normalize(response.uri()))) {
        selfRedirects.add(response);
      }
    }
    if (selfRedirects.isEmpty()) {
      return;
    }
    List<Finding> first = new ArrayList<>();
    judge(new RedirectChain(List.of(selfRedirects.get(0)), RedirectChain.Ending.LOOP, Optional.empty(),
        Optional.empty()), first, loopsReported);
    Finding finding = first.get(0);
    List<ProbeResponse> others = selfRedirects.subList(1, selfRedirects.size());
    String more = others.isEmpty() ? "" : "; also redirecting to themselves: " + others.stream()
        .limit(MORE_URLS_NAMED).map(r -> r.uri().toString()).collect(Collectors.joining(", "))
        + (others.size() > MORE_URLS_NAMED ? " and " + (others.size() - MORE_URLS_NAMED) + " more" : "");
    findings.add(new Finding(finding.checkId(), finding.severity(), finding.url(), finding.message(),
        finding.observed() + more, finding.fix()));
  }

  private static boolean sameUrl(URI a, URI b) {
    return ProbeClient.normalize(a).equals(ProbeClient.normalize(b));
  }

  /** Adds the finding for {@code chain} when it loops or goes on too long and its loop is not reported yet. */
  private void judge(RedirectChain chain, List<Finding> findings, Set<URI> loopsReported) {
    if (chain.ending() != RedirectChain.Ending.LOOP && chain.ending() != RedirectChain.Ending.TOO_MANY) {
      return;
    }
    URI start = chain.hops().get(0).uri();
    ProbeResponse last = chain.last().orElseThrow();
    URI target = last.location().orElse(last.uri());
    if (!loopsReported.add(ProbeClient.normalize(target))) {
      return;
    }
    boolean selfLoop = sameUrl(target, last.uri()) && "https".equalsIgnoreCase(target.getScheme());
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
