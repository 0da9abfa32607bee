package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code Server} and {@code X-Powered-By} must not reveal software versions (RFC 9110 §10.2.4: "overly long and
 * detailed Server field values increase response latency and potentially reveal internal implementation
 * details"): a version tells an attacker which CVEs apply.
 */
public final class ServerHeaderCheck extends ResponseHeaderCheck {
  /** A product token with a version: {@code nginx/1.22.1}, {@code gunicorn/20.1.0}, {@code Python/3.11}. */
  static final Pattern VERSION = Pattern.compile("[A-Za-z][\\w.-]*/\\d");

  @Override
  public String id() {
    return "server-version";
  }

  @Override
  public String description() {
    return "Server and X-Powered-By reveal no software versions";
  }

  @Override
  CheckResult judge(ProbeResponse response, AuditContext context) {
    List<Finding> findings = new ArrayList<>();
    for (String header : List.of("Server", "X-Powered-By")) {
      response.header(header).filter(v -> VERSION.matcher(v).find()).ifPresent(value ->
          findings.add(finding(Severity.WARNING, response.uri(),
              header + " reveals software versions.", header + ": " + value,
              "nginx: server_tokens off; (and proxy_hide_header X-Powered-By;). Behind nginx, gunicorn's own "
                  + "Server header is replaced; without a proxy: gunicorn cannot hide it, put a proxy in "
                  + "front. Caddy: header -Server.")));
    }
    if (findings.isEmpty()) {
      findings.add(finding(Severity.OK, response.uri(), "No software version in Server or X-Powered-By.",
          response.header("Server").map(v -> "Server: " + v).orElse(""), ""));
    }
    return CheckResult.of(this, findings);
  }
}
