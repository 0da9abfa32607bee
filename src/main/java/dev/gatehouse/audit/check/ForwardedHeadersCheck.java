package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.FormPostOutcome;
import dev.gatehouse.audit.LoginPage;
import dev.gatehouse.audit.ProbeTokens;
import dev.gatehouse.audit.ReferrerPolicies;
import dev.gatehouse.audit.SchemeVerdict;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.HeaderFields;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Forwarding headers a client sends must not reach the app as if the proxy had set them: the edge proxy must
 * overwrite {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Forwarded-For} and {@code X-Real-IP}
 * (RFC 7239 §8.1 on spoofed forwarding information). Probed by sending conflicting values and comparing what
 * the app does: its redirects, its CSRF verdict on the scheme and host, and whether the value shows up in its
 * pages. The probes go to the start page and to a URL the app answers ({@link AuditContext#appProbeTargets()}).
 */
public final class ForwardedHeadersCheck implements AuditCheck {
  private static final String TAKES_HOST = "The app takes its host from a client-sent X-Forwarded-Host "
      + "(USE_X_FORWARDED_HOST = True, and the proxy passes the client's header on).";
  private static final String FORWARDED_HOST_FIX = "nginx: proxy_set_header X-Forwarded-Host $http_host; (what "
      + "the browser sent, port included; $host drops the port), or do not forward it and keep Django's "
      + "USE_X_FORWARDED_HOST = False, the default. Never pass $http_x_forwarded_host. Caddy and gatehouse serve "
      + "replace it.";

  @Override
  public String id() {
    return "forwarded-headers";
  }

  @Override
  public String description() {
    return "client-sent X-Forwarded-Proto/-Host/-For and X-Real-IP are not trusted by the app";
  }

  @Override
  public CheckResult run(AuditContext context) throws IOException {
    List<Finding> findings = new ArrayList<>();
    checkProto(context, findings);
    checkHost(context, findings);
    checkClientAddress(context, findings, "X-Forwarded-For",
        "nginx: proxy_set_header X-Forwarded-For $remote_addr; at the edge ($proxy_add_x_forwarded_for keeps "
            + "the client's list). gatehouse serve replaces it. Django apps reading it: take the address the "
            + "proxy appended, never the first one.");
    checkClientAddress(context, findings, "X-Real-IP",
        "nginx: proxy_set_header X-Real-IP $remote_addr;. Caddy: header_up X-Real-IP {remote_host}.");
    if (findings.isEmpty()) {
      findings.add(finding(Severity.OK, context.appUrl().uri(),
          "Client-sent X-Forwarded-Proto, -Host, -For and X-Real-IP changed neither the app's answers nor its "
              + "URLs.", "probed " + context.appProbeTargets().stream().map(URI::toString)
              .collect(Collectors.joining(" and ")) + "; the app's URL: " + context.appUrl().describe(), ""));
    }
    return CheckResult.of(this, findings);
  }

  private void checkProto(AuditContext context, List<Finding> findings) throws IOException {
    String fix = "nginx: proxy_set_header X-Forwarded-Proto $scheme; (not $http_x_forwarded_proto, which "
        + "passes the client's value). Behind another proxy or load balancer, set it there and make nginx "
        + "overwrite it at the edge. Caddy overwrites it; gatehouse serve replaces every client-sent X-Forwarded-* "
        + "unless the peer is a --trusted-proxy.";
    for (URI target : context.appProbeTargets()) {
      ProbeResponse asHttp = context.client().send(spoofed(target, "X-Forwarded-Proto", "http"));
      ProbeResponse asHttps = context.client().send(spoofed(target, "X-Forwarded-Proto", "https"));
      if (!sameOutcome(asHttp, asHttps)) {
        findings.add(finding(Severity.ERROR, target,
            "The app obeys a client-sent X-Forwarded-Proto: the same HTTPS request is answered differently "
                + "for http and https.",
            "X-Forwarded-Proto: http → " + asHttp.describe("Location") + "; X-Forwarded-Proto: https → "
                + asHttps.describe("Location"), fix));
        return;
      }
    }
    SchemeVerdict claimedHttp = context.appScheme(HeaderFields.of("X-Forwarded-Proto", "http"));
    SchemeVerdict claimedHttps = context.appScheme(HeaderFields.of("X-Forwarded-Proto", "https"));
    if (claimedHttp != SchemeVerdict.UNKNOWN && claimedHttps != SchemeVerdict.UNKNOWN
        && claimedHttp != claimedHttps) {
      findings.add(finding(Severity.ERROR, context.loginUri(),
          "The app obeys a client-sent X-Forwarded-Proto: its CSRF check sees " + claimedHttp.name()
              + " when the client claims http and " + claimedHttps.name() + " when it claims https.",
          "login POST with Origin http://" + context.httpsAuthority() + ": accepted only with "
              + "X-Forwarded-Proto: " + (claimedHttp == SchemeVerdict.HTTP ? "http" : "https"), fix));
    }
  }

  /**
   * Django with {@code USE_X_FORWARDED_HOST = True} takes its host from {@code X-Forwarded-Host}; when the proxy
   * passes the client's value on, the client picks it. Seen from outside as: URLs built with a made-up name;
   * {@code 400} (DisallowedHost) for a name outside {@code ALLOWED_HOSTS}; and a login POST refused by the CSRF
   * check when the header names the site on another port, which passes {@code ALLOWED_HOSTS} (it ignores the
   * port) but no longer matches the browser's {@code Origin}.
   */
  private void checkHost(AuditContext context, List<Finding> findings) throws IOException {
    String marker = "gatehouse-audit-" + ProbeTokens.hex(6) + ".invalid";
    for (URI target : context.appProbeTargets()) {
      ProbeResponse baseline = context.client().send(ProbeRequest.get(target));
      ProbeResponse spoofed = context.client().send(spoofed(target, "X-Forwarded-Host", marker));
      if (buildsUrlsWith(spoofed, marker)) {
        findings.add(finding(Severity.ERROR, target,
            "The app builds URLs from a client-sent X-Forwarded-Host: links and redirects can be pointed at "
                + "another site (cache poisoning, password-reset poisoning).",
            "X-Forwarded-Host: " + marker + " → " + spoofed.describe("Location") + " (the value appears in "
                + "a URL of the response)", FORWARDED_HOST_FIX));
        return;
      }
      if (spoofed.status() != baseline.status()) {
        findings.add(finding(Severity.ERROR, target, TAKES_HOST + " Names outside ALLOWED_HOSTS get 400 "
                + "(DisallowedHost); any name inside it can be forced into absolute URLs and password-reset links.",
            "without: " + baseline.status() + "; X-Forwarded-Host: " + marker + " → " + spoofed.status(),
            FORWARDED_HOST_FIX));
        return;
      }
    }
    Optional<LoginPage> page = context.loginPage();
    if (page.isEmpty()) {
      return;
    }
    String otherPort = context.host() + ":" + (context.options().httpsPort() % 65535 + 1);
    ReferrerPolicies.SameOriginPost browser = context.browserPost(page.get());
    ProbeResponse baseline = context.postWithoutCredentials(page.get(), browser, HeaderFields.of());
    if (FormPostOutcome.of(baseline) != FormPostOutcome.ACCEPTED) {
      return;
    }
    ProbeResponse spoofed = context.postWithoutCredentials(page.get(), browser,
        HeaderFields.of("X-Forwarded-Host", otherPort));
    if (FormPostOutcome.of(spoofed) == FormPostOutcome.CSRF_REJECTED) {
      findings.add(finding(Severity.ERROR, page.get().form().action(), TAKES_HOST + " A name inside "
              + "ALLOWED_HOSTS (here the site's own on another port) is taken as the host: it goes into absolute "
              + "URLs and password-reset links, and the CSRF check compares the Origin with it.",
          "login POST with Origin " + browser.origin() + " → " + baseline.status() + "; with X-Forwarded-Host: "
              + otherPort + " too → " + spoofed.status(), FORWARDED_HOST_FIX));
    }
  }

  private void checkClientAddress(AuditContext context, List<Finding> findings, String header, String fix)
      throws IOException {
    for (URI target : context.appProbeTargets()) {
      // RFC 5737 TEST-NET-1: an address that is never a real client.
      String marker = "192.0.2." + (1 + ProbeTokens.below(254));
      ProbeResponse baseline = context.client().send(ProbeRequest.get(target));
      if (reflects(baseline, marker)) {
        continue;
      }
      ProbeResponse spoofed = context.client().send(spoofed(target, header, marker));
      if (reflects(spoofed, marker)) {
        findings.add(finding(Severity.WARNING, target,
            "A client-sent " + header + " reaches the app: it shows the address the client made up, so logs, "
                + "rate limits and IP checks can be fooled.",
            header + ": " + marker + " → " + marker + " appears in the response", fix));
        return;
      }
    }
  }

  private static ProbeRequest spoofed(URI uri, String header, String value) {
    return ProbeRequest.get(uri).withHeader(header, value);
  }

  private static boolean sameOutcome(ProbeResponse a, ProbeResponse b) {
    Optional<String> locationA = a.header("Location");
    Optional<String> locationB = b.header("Location");
    return a.status() == b.status() && locationA.equals(locationB);
  }

  /**
   * Whether the app made a URL of {@code host}: a {@code Location} or an absolute or scheme-relative URL in the
   * body. A header merely echoed back (a debug page listing headers) is not a URL the app built.
   */
  private static boolean buildsUrlsWith(ProbeResponse response, String host) {
    return response.header("Location").map(l -> l.contains(host)).orElse(false)
        || response.bodyText().contains("//" + host);
  }

  private static boolean reflects(ProbeResponse response, String marker) {
    return response.headers().asList().stream().anyMatch(f -> f.value().contains(marker))
        || response.bodyText().contains(marker);
  }
}
