package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The app server's ports ({@code --upstream-ports}) must not be reachable from where the audit runs: Gunicorn
 * bound to {@code 0.0.0.0:8000} bypasses the proxy, its TLS and its headers, and trusts any client's
 * {@code X-Forwarded-*}.
 */
public final class UpstreamExposureCheck implements AuditCheck {
  @Override
  public String id() {
    return "upstream-exposure";
  }

  @Override
  public String description() {
    return "the app server's ports (--upstream-ports) are not reachable from outside";
  }

  @Override
  public CheckResult run(AuditContext context) {
    List<Integer> ports = context.options().upstreamPorts();
    if (ports.isEmpty()) {
      return CheckResult.skipped(this, "no --upstream-ports given");
    }
    String address = context.address().getHostAddress();
    List<Finding> findings = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    for (int port : ports) {
      URI where = URI.create("tcp://" + context.host() + ":" + port);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(context.address(), port),
            (int) context.options().limits().connectTimeout().toMillis());
        findings.add(finding(Severity.ERROR, where,
            "Port " + port + " accepts connections from here: the app server can be reached without the "
                + "proxy (no TLS, spoofable X-Forwarded-* headers).",
            "TCP connect to " + address + ":" + port + " succeeded",
            "gunicorn --bind unix:/run/gunicorn.sock (or --bind 127.0.0.1:" + port + "); uvicorn --uds "
                + "/run/uvicorn.sock (or --host 127.0.0.1); then point the proxy there (gatehouse serve --upstream "
                + "unix:/run/gunicorn.sock). Firewall: nft/ufw deny " + port + "/tcp from outside."));
      } catch (IOException e) {
        closed.add(port + " (" + ProbeClient.describe(e) + ")");
      }
    }
    if (findings.isEmpty()) {
      findings.add(finding(Severity.OK, URI.create("tcp://" + context.host()),
          "No upstream port is reachable from here.", address + ": " + String.join(", ", closed), ""));
    }
    return CheckResult.of(this, findings);
  }
}
