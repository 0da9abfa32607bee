package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.List;

/**
 * {@code Strict-Transport-Security} must not be sent over plain HTTP (RFC 6797 §7.2: a host MUST NOT; §8.1:
 * browsers ignore it there). Seeing it there means the header is added in the wrong place, typically an
 * {@code add_header} at {@code http {}} level or in the port-80 server, so the HTTPS side is unverified.
 */
public final class HstsOverHttpCheck implements AuditCheck {
  @Override
  public String id() {
    return "hsts-plain-http";
  }

  @Override
  public String description() {
    return "Strict-Transport-Security is not sent over plain HTTP";
  }

  @Override
  public CheckResult run(AuditContext context) {
    List<ProbeResponse> plain = context.httpEntry().hops().stream()
        .filter(r -> "http".equalsIgnoreCase(r.uri().getScheme())).toList();
    if (plain.isEmpty()) {
      return CheckResult.skipped(this, "nothing answered plain HTTP on port " + context.options().httpPort());
    }
    for (ProbeResponse response : plain) {
      if (response.headers().contains("Strict-Transport-Security")) {
        return CheckResult.of(this, List.of(finding(Severity.WARNING, response.uri(),
            "Strict-Transport-Security is sent over plain HTTP, where browsers ignore it (RFC 6797 §8.1); it "
                + "belongs on HTTPS responses only.",
            response.describe("Strict-Transport-Security"),
            "nginx: move add_header Strict-Transport-Security … always; from the listen 80 server (or from "
                + "http {}) into the listen 443 ssl server. Caddy: put the header directive in the https site "
                + "block only.")));
      }
    }
    return CheckResult.of(this, List.of(finding(Severity.OK, plain.get(0).uri(),
        "Plain HTTP responses carry no Strict-Transport-Security.", plain.get(0).describe("Location"), "")));
  }
}
