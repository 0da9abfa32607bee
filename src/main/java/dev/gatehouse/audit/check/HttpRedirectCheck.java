package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.RedirectChain;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A plain-HTTP request for the start URL must be answered with a permanent redirect (301 or 308, RFC 9110
 * §15.4.2, §15.4.9) straight to the same host, path and query on HTTPS: one hop, the shape the HSTS preload
 * list requires (hstspreload.org "Submission Requirements": redirect to HTTPS on the same host first).
 */
public final class HttpRedirectCheck implements AuditCheck {
  /** Permanent redirects: browsers and search engines remember them. */
  static final Set<Integer> PERMANENT = Set.of(301, 308);

  @Override
  public String id() {
    return "http-redirect";
  }

  @Override
  public String description() {
    return "plain HTTP redirects permanently to the same URL on HTTPS, in one hop";
  }

  @Override
  public CheckResult run(AuditContext context) {
    RedirectChain chain = context.httpEntry();
    URI requested = context.httpUri(context.httpProbePathAndQuery());
    if (chain.hops().isEmpty()) {
      return CheckResult.of(this, List.of(finding(Severity.WARNING, requested,
          "Nothing answers plain HTTP on port " + context.options().httpPort()
              + ": visitors who type the bare name get an error instead of the HTTPS site.",
          chain.failure().orElse(""), Fixes.HTTP_TO_HTTPS)));
    }
    ProbeResponse first = chain.hops().get(0);
    if (!first.isRedirect()) {
      Severity severity = first.status() >= 200 && first.status() < 300 ? Severity.ERROR : Severity.WARNING;
      String message = severity == Severity.ERROR
          ? "Plain HTTP serves the page instead of redirecting to HTTPS."
          : "Plain HTTP answers " + first.status() + " instead of redirecting to HTTPS.";
      return CheckResult.of(this, List.of(finding(severity, requested, message,
          first.describe("Location"), Fixes.HTTP_TO_HTTPS)));
    }
    List<Finding> findings = new ArrayList<>();
    URI target = first.location().orElseThrow();
    URI expected = context.httpsUri(context.httpProbePathAndQuery());
    if (!PERMANENT.contains(first.status())) {
      findings.add(finding(Severity.WARNING, requested,
          "The redirect to HTTPS is temporary (" + first.status() + "): browsers ask over plain HTTP every time "
              + "and search engines keep the http:// URL.",
          first.describe("Location"),
          "nginx: return 301 https://$host$request_uri; (not 302, not rewrite … redirect). Caddy: redir "
              + "https://{host}{uri} permanent. gatehouse serve: --redirect-status 301 or 308 (its default is "
              + "301 for GET and HEAD)."));
    }
    if (!"https".equalsIgnoreCase(target.getScheme())) {
      int httpHops = httpHopsBeforeHttps(chain);
      findings.add(finding(Severity.WARNING, requested,
          "Plain HTTP takes " + httpHops + " redirects before reaching HTTPS; the first should go straight to "
              + "https:// on the same host.",
          chain.describe(), Fixes.HTTP_TO_HTTPS));
    } else {
      if (!target.getHost().equalsIgnoreCase(context.host())) {
        findings.add(finding(Severity.WARNING, requested,
            "The redirect leaves the host: " + context.host() + " goes to " + target.getHost()
                + " before HTTPS is established for " + context.host() + " (HSTS for it is never set).",
            first.describe("Location"), Fixes.HTTP_TO_HTTPS));
      } else if (ProbeClient.port(target) != context.options().httpsPort()) {
        findings.add(finding(Severity.ERROR, requested,
            "The redirect goes to HTTPS port " + ProbeClient.port(target) + ", but the site is on port "
                + context.options().httpsPort() + ".",
            first.describe("Location"),
            "nginx: write the port into the redirect, return 301 https://$host:" + context.options().httpsPort()
                + "$request_uri; (a bare $host drops it)."));
      }
      if (!samePathAndQuery(target, expected)) {
        findings.add(finding(Severity.WARNING, requested,
            "The redirect does not keep the path and query: links to http:// pages land on the wrong page.",
            first.describe("Location") + " (expected " + expected + ")",
            "nginx: return 301 https://$host$request_uri; ($request_uri carries path and query). Caddy: redir "
                + "https://{host}{uri}."));
      }
    }
    Optional<String> failure = chain.ending() == RedirectChain.Ending.FAILED ? chain.failure() : Optional.empty();
    if (failure.isPresent() && chain.failedUri().isPresent()) {
      findings.add(finding(Severity.ERROR, chain.failedUri().get(),
          "The HTTPS URL the redirect points to cannot be fetched.", chain.describe(), Fixes.HTTP_TO_HTTPS));
    }
    if (findings.isEmpty()) {
      findings.add(finding(Severity.OK, requested,
          "Plain HTTP redirects with " + first.status() + " to the same URL on HTTPS.",
          first.describe("Location"), ""));
    }
    return CheckResult.of(this, findings);
  }

  private static int httpHopsBeforeHttps(RedirectChain chain) {
    int hops = 0;
    for (ProbeResponse hop : chain.hops()) {
      if (hop.uri().getScheme().equalsIgnoreCase("https")) {
        break;
      }
      hops++;
    }
    return hops;
  }

  private static boolean samePathAndQuery(URI actual, URI expected) {
    String actualPath = actual.getRawPath() == null || actual.getRawPath().isEmpty() ? "/" : actual.getRawPath();
    return actualPath.equals(expected.getRawPath())
        && String.valueOf(actual.getRawQuery()).equals(String.valueOf(expected.getRawQuery()));
  }
}
