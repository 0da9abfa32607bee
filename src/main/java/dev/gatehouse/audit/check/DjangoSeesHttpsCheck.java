package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.SchemeVerdict;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.RedirectChain;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The app must know that requests reach it over HTTPS: its own redirects ({@code /admin} → {@code /admin/} →
 * login) must not point at {@code http://}, and its CSRF check must treat the request as HTTPS
 * ({@link AuditContext#appScheme()}). When it does not, it builds http:// links, refuses logins (Django 4.0+:
 * "Origin checking failed") or loops with {@code SECURE_SSL_REDIRECT}.
 */
public final class DjangoSeesHttpsCheck implements AuditCheck {
  @Override
  public String id() {
    return "django-https";
  }

  @Override
  public String description() {
    return "the app sees HTTPS: its redirects stay on https:// and its CSRF check treats requests as HTTPS";
  }

  @Override
  public CheckResult run(AuditContext context) throws IOException {
    List<Finding> findings = new ArrayList<>();
    Set<URI> reported = new LinkedHashSet<>();
    for (String path : appRedirectPaths(context)) {
      RedirectChain chain = context.client().follow(ProbeRequest.get(context.httpsUri(path)));
      for (ProbeResponse hop : chain.hops()) {
        boolean fromHttps = "https".equalsIgnoreCase(hop.uri().getScheme());
        boolean toHttp = hop.location().map(l -> "http".equalsIgnoreCase(l.getScheme())).orElse(false);
        if (hop.isRedirect() && fromHttps && toHttp && reported.add(hop.uri())) {
          findings.add(finding(Severity.ERROR, hop.uri(),
              "The app redirects an HTTPS request to http://: it builds URLs for the scheme it sees.",
              hop.describe("Location"), Fixes.FORWARDED_PROTO));
        }
      }
    }
    SchemeVerdict verdict = context.appScheme();
    URI login = context.loginUri();
    switch (verdict) {
      case HTTP -> findings.add(finding(Severity.ERROR, login,
          "The app treats HTTPS requests as plain HTTP: a login POST over HTTPS with Origin and Referer "
              + "http://" + context.httpsAuthority() + " passed its CSRF check, which only happens when it sees "
              + "http. It will build http:// URLs, set cookies for http, and (Django 4.0+) refuse real logins.",
          "POST " + login + " with Origin: http://" + context.httpsAuthority() + " → accepted",
          Fixes.FORWARDED_PROTO));
      case HTTPS -> {
        if (findings.isEmpty()) {
          findings.add(finding(Severity.OK, login,
              "The app treats HTTPS requests as HTTPS (its CSRF check refuses an http:// Origin) and its "
                  + "redirects stay on https://.",
              "POST " + login + " with Origin: http://" + context.httpsAuthority() + " → 403", ""));
        }
      }
      case UNKNOWN -> findings.add(finding(Severity.INFO, login,
          "Whether the app sees HTTPS could not be read from its CSRF check: "
              + (context.loginPage().isPresent() ? "the login form does not enforce CSRF."
                  : context.noLoginFormReason() + "."), "", ""));
    }
    return CheckResult.of(this, findings);
  }

  /**
   * Paths whose redirects the app itself makes: the login page's path (where it was found: under a sub-path it
   * is not {@code --login-path}) without its slash, its parent, the start.
   */
  private static List<String> appRedirectPaths(AuditContext context) throws IOException {
    Set<String> paths = new LinkedHashSet<>();
    String login = context.loginUri().getRawPath();
    String trimmed = login.endsWith("/") && login.length() > 1 ? login.substring(0, login.length() - 1) : login;
    int slash = trimmed.lastIndexOf('/');
    String parent = trimmed.substring(0, slash + 1);
    if (parent.length() > 1) {
      paths.add(parent.substring(0, parent.length() - 1));
      paths.add(parent);
    }
    paths.add(trimmed);
    paths.add(context.startPathAndQuery());
    return new ArrayList<>(paths);
  }
}
