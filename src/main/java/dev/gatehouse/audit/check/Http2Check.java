package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import java.util.List;

/** HTTP/2 must be offered: a browser offering {@code h2} via ALPN (RFC 7301, RFC 9113 §3.2) should get it. */
public final class Http2Check implements AuditCheck {
  @Override
  public String id() {
    return "http2";
  }

  @Override
  public String description() {
    return "HTTP/2 is offered (ALPN h2)";
  }

  @Override
  public CheckResult run(AuditContext context) {
    String alpn = context.tlsSession().applicationProtocol();
    String observed = "ALPN offered h2, http/1.1; server chose " + (alpn.isEmpty() ? "nothing" : alpn);
    if (alpn.equals("h2")) {
      return CheckResult.of(this, List.of(finding(Severity.OK, context.options().url(), "HTTP/2 is offered.",
          observed, "")));
    }
    return CheckResult.of(this, List.of(finding(Severity.WARNING, context.options().url(),
        "HTTP/2 is not offered: browsers fall back to HTTP/1.1 with one request per connection at a time.",
        observed, "nginx 1.25.1+: http2 on; in the 443 server; older nginx: listen 443 ssl http2;. Caddy and "
            + "gatehouse serve offer HTTP/2 by default.")));
  }
}
