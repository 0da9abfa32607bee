package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.tls.CipherSuites;
import dev.gatehouse.audit.tls.ClientHelloProbe;
import dev.gatehouse.audit.tls.ServerHelloAnswer;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS 1.0 and 1.1 must be refused (RFC 8996 deprecates them: MUST NOT negotiate); TLS 1.2 and 1.3 must be
 * offered (RFC 9325 §3.1.1: SHOULD support 1.3, MUST support 1.2 for interoperability). The old versions are
 * probed with a hand-built ClientHello because the JDK will not offer them; the current ones with the JDK.
 */
public final class TlsVersionsCheck implements AuditCheck {
  /** The versions that must be refused, as wire values (RFC 8996 §2, §3). */
  static final List<Integer> DEPRECATED_VERSIONS = List.of(0x0301, 0x0302);
  /** The versions that must be offered, as the JDK names them. */
  static final List<String> CURRENT_VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  private static final String FIX = "nginx: ssl_protocols TLSv1.2 TLSv1.3; (in http {} or the 443 server; on "
      + "OpenSSL 3 check that no ssl_ciphers …@SECLEVEL=0 re-enables old versions). Caddy and gatehouse serve "
      + "offer exactly TLS 1.2 and 1.3 by default.";

  @Override
  public String id() {
    return "tls-versions";
  }

  @Override
  public String description() {
    return "TLS 1.0 and 1.1 refused, TLS 1.2 and 1.3 offered";
  }

  @Override
  public CheckResult run(AuditContext context) throws IOException {
    URI url = context.options().url();
    int port = context.options().httpsPort();
    ClientHelloProbe probe = new ClientHelloProbe(context.options().limits().connectTimeout(),
        context.options().limits().readTimeout());
    List<Finding> findings = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (int version : DEPRECATED_VERSIONS) {
      ServerHelloAnswer answer = probe.offer(context.host(), context.address(), port, version,
          CipherSuites.LEGACY_VERSION_PROBE);
      String name = ServerHelloAnswer.versionName(version);
      if (answer.isAccepted() && answer.version().orElseThrow() <= version) {
        findings.add(finding(Severity.ERROR, url, name + " is accepted; it is deprecated (RFC 8996) and "
            + "browsers no longer use it.", "ServerHello " + ServerHelloAnswer.versionName(answer.version().get())
            + ", " + CipherSuites.name(answer.cipherSuite().orElseThrow()), FIX));
      } else {
        refused.add(name);
      }
    }
    List<String> offered = new ArrayList<>();
    for (String version : CURRENT_VERSIONS) {
      try {
        context.client().tls().handshake(context.host(), context.address(), port, List.of(version), List.of());
        offered.add(version);
      } catch (IOException e) {
        findings.add(finding(Severity.WARNING, url, version + " is not offered: clients that need it cannot "
            + "connect.", ProbeClient.describe(e), FIX));
      }
    }
    if (findings.isEmpty()) {
      findings.add(finding(Severity.OK, url, "TLS 1.2 and 1.3 are offered; TLS 1.0 and 1.1 are refused.",
          "offered: " + String.join(", ", offered) + "; refused: " + String.join(", ", refused), ""));
    }
    return CheckResult.of(this, findings);
  }
}
