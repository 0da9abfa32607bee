package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.ProbeTokens;
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

/**
 * Forwarding headers a client sends must not reach the app as if the proxy had set them: the edge proxy must
 * overwrite {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Forwarded-For} and {@code X-Real-IP}
 * (RFC 7239 §8.1 on spoofed forwarding information). Probed by sending conflicting values and comparing what
 * the app does: its redirects, its CSRF verdict on the scheme, and whether the value shows up in its pages.
 */
public final class ForwardedHeadersCheck implements AuditCheck {
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
      findings.add(finding(Severity.OK, context.options().url(),
          "Client-sent X-Forwarded-Proto, -Host, -For and X-Real-IP changed neither the app's answers nor its "
              + "URLs.", "", ""));
    }
    return CheckResult.of(this, findings);
  }

  private void checkProto(AuditContext context, List<Finding> findings) throws IOException {
    URI start = context.options().url();
    ProbeResponse asHttp = context.client().send(spoofed(start, "X-Forwarded-Proto", "http"));
    ProbeResponse asHttps = context.client().send(spoofed(start, "X-Forwarded-Proto", "https"));
    String fix = "nginx: proxy_set_header X-Forwarded-Proto $scheme; (not $http_x_forwarded_proto, which "
        + "passes the client's value). Behind another proxy or load balancer, set it there and make nginx "
        + "overwrite it at the edge. Caddy overwrites it; gatehouse serve replaces every client-sent X-Forwarded-* "
        + "unless the peer is a --trusted-proxy.";
    if (!sameOutcome(asHttp, asHttps)) {
      findings.add(finding(Severity.ERROR, start,
          "The app obeys a client-sent X-Forwarded-Proto: the same HTTPS request is answered differently "
              + "for http and https.",
          "X-Forwarded-Proto: http → " + asHttp.describe("Location") + "; X-Forwarded-Proto: https → "
              + asHttps.describe("Location"), fix));
      return;
    }
    SchemeVerdict claimedHttp = context.appScheme(HeaderFields.of("X-Forwarded-Proto", "http"));
    SchemeVerdict claimedHttps = context.appScheme(HeaderFields.of("X-Forwarded-Proto", "https"));
    if (claimedHttp != SchemeVerdict.UNKNOWN && claimedHttps != SchemeVerdict.UNKNOWN
        && claimedHttp != claimedHttps) {
      findings.add(finding(Severity.ERROR, context.httpsUri(context.options().loginPath()),
          "The app obeys a client-sent X-Forwarded-Proto: its CSRF check sees " + claimedHttp.name()
              + " when the client claims http and " + claimedHttps.name() + " when it claims https.",
          "login POST with Origin http://" + context.httpsAuthority() + ": accepted only with "
              + "X-Forwarded-Proto: " + (claimedHttp == SchemeVerdict.HTTP ? "http" : "https"), fix));
    }
  }

  private void checkHost(AuditContext context, List<Finding> findings) throws IOException {
    URI start = context.options().url();
    String marker = "gatehouse-audit-" + ProbeTokens.hex(6) + ".invalid";
    ProbeResponse baseline = context.client().send(ProbeRequest.get(start));
    ProbeResponse spoofed = context.client().send(spoofed(start, "X-Forwarded-Host", marker));
    String fix = "nginx: proxy_set_header X-Forwarded-Host $host; (or do not forward it and keep Django's "
        + "USE_X_FORWARDED_HOST = False, the default). Never pass $http_x_forwarded_host.";
    if (buildsUrlsWith(spoofed, marker)) {
      findings.add(finding(Severity.ERROR, start,
          "The app builds URLs from a client-sent X-Forwarded-Host: links and redirects can be pointed at "
              + "another site (cache poisoning, password-reset poisoning).",
          "X-Forwarded-Host: " + marker + " → " + spoofed.describe("Location") + " (the value appears in "
              + "a URL of the response)", fix));
    } else if (spoofed.status() != baseline.status()) {
      findings.add(finding(Severity.WARNING, start,
          "The app reads a client-sent X-Forwarded-Host (USE_X_FORWARDED_HOST = True); only ALLOWED_HOSTS "
              + "stops it.",
          "without: " + baseline.status() + "; X-Forwarded-Host: " + marker + " → " + spoofed.status(), fix));
    }
  }

  private void checkClientAddress(AuditContext context, List<Finding> findings, String header, String fix)
      throws IOException {
    URI start = context.options().url();
    // RFC 5737 TEST-NET-1: an address that is never a real client.
    String marker = "192.0.2." + (1 + ProbeTokens.below(254));
    ProbeResponse baseline = context.client().send(ProbeRequest.get(start));
    if (reflects(baseline, marker)) {
      return;
    }
    ProbeResponse spoofed = context.client().send(spoofed(start, header, marker));
    if (reflects(spoofed, marker)) {
      findings.add(finding(Severity.WARNING, start,
          "A client-sent " + header + " reaches the app: it shows the address the client made up, so logs, "
              + "rate limits and IP checks can be fooled.",
          header + ": " + marker + " → " + marker + " appears in the response", fix));
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
