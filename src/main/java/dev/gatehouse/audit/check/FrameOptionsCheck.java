package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Pages must say who may frame them, against clickjacking: {@code X-Frame-Options: DENY} or {@code SAMEORIGIN}
 * (RFC 7034), or CSP {@code frame-ancestors} (CSP Level 2 §7.7.3, which takes precedence).
 */
public final class FrameOptionsCheck extends ResponseHeaderCheck {
  @Override
  public String id() {
    return "frame-options";
  }

  @Override
  public String description() {
    return "X-Frame-Options or CSP frame-ancestors forbids framing by other sites";
  }

  @Override
  CheckResult judge(ProbeResponse response, AuditContext context) {
    boolean frameAncestors = response.headers().all("Content-Security-Policy").stream()
        .anyMatch(csp -> csp.toLowerCase(Locale.ROOT).contains("frame-ancestors"));
    Optional<String> xfo = response.header("X-Frame-Options").map(v -> v.trim().toUpperCase(Locale.ROOT));
    if (frameAncestors) {
      return CheckResult.of(this, List.of(finding(Severity.OK, response.uri(),
          "Content-Security-Policy frame-ancestors controls framing.", "", "")));
    }
    if (xfo.isPresent() && (xfo.get().equals("DENY") || xfo.get().equals("SAMEORIGIN"))) {
      return CheckResult.of(this, List.of(finding(Severity.OK, response.uri(),
          "X-Frame-Options: " + xfo.get() + ".", "", "")));
    }
    return CheckResult.of(this, List.of(finding(Severity.WARNING, response.uri(),
        xfo.isPresent() ? "X-Frame-Options " + xfo.get() + " is not understood by browsers (only DENY and "
            + "SAMEORIGIN are): other sites can frame the page (clickjacking)."
            : "Nothing forbids framing (no X-Frame-Options, no CSP frame-ancestors): other sites can frame "
                + "the page (clickjacking).",
        xfo.map(v -> "X-Frame-Options: " + v).orElse(response.status() + " without either header"),
        "Django: keep django.middleware.clickjacking.XFrameOptionsMiddleware in MIDDLEWARE (X_FRAME_OPTIONS = "
            + "\"DENY\" is the default). nginx: add_header X-Frame-Options DENY always;.")));
  }
}
