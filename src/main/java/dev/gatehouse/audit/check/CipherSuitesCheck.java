package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.tls.CipherSuite;
import dev.gatehouse.audit.tls.CipherSuites;
import dev.gatehouse.audit.tls.ClientHelloProbe;
import dev.gatehouse.audit.tls.ServerHelloAnswer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server must refuse weak cipher suites when a client offers nothing else: the RFC 9325 §4.1 MUST NOTs
 * (NULL, RC4, export, DES, anonymous) are errors; its SHOULD NOTs (3DES, RSA key transport) are warnings.
 * Each group is offered alone in a TLS 1.2 ClientHello; every suite the server picks is removed and the rest
 * offered again, so that all accepted suites are listed.
 */
public final class CipherSuitesCheck implements AuditCheck {
  /** Mozilla "intermediate" (ssl-config.mozilla.org, v5.7) for TLS 1.2, in OpenSSL names. */
  static final String MOZILLA_INTERMEDIATE = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
      + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
      + "ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
      + "DHE-RSA-CHACHA20-POLY1305";

  private static final String FIX = "nginx: ssl_ciphers " + MOZILLA_INTERMEDIATE + "; (Mozilla intermediate). "
      + "Caddy and gatehouse serve allow only forward-secret AEAD suites by default.";

  private record Group(List<CipherSuite> suites, Severity severity, String why) {}

  private static final List<Group> GROUPS = List.of(
      new Group(CipherSuites.FORBIDDEN, Severity.ERROR,
          "broken suites (NULL, RC4, export, DES or anonymous; RFC 9325 §4.1 MUST NOT)"),
      new Group(CipherSuites.TRIPLE_DES, Severity.WARNING,
          "3DES suites (112-bit, SWEET32; RFC 9325 §4.1 SHOULD NOT)"),
      new Group(CipherSuites.RSA_KEY_TRANSPORT, Severity.WARNING,
          "RSA key transport suites (no forward secrecy; RFC 9325 §4.1 SHOULD NOT)"));

  /** TLS 1.2 on the wire: the weak suites are all TLS 1.2 or older. */
  private static final int TLS_1_2 = 0x0303;

  @Override
  public String id() {
    return "tls-ciphers";
  }

  @Override
  public String description() {
    return "no weak cipher suites (RFC 9325 §4.1)";
  }

  @Override
  public CheckResult run(AuditContext context) throws IOException {
    ClientHelloProbe probe = new ClientHelloProbe(context.options().limits().connectTimeout(),
        context.options().limits().readTimeout());
    List<Finding> findings = new ArrayList<>();
    for (Group group : GROUPS) {
      List<String> accepted = acceptedSuites(context, probe, group.suites());
      if (!accepted.isEmpty()) {
        findings.add(finding(group.severity(), context.options().url(),
            "The server accepts " + group.why() + ".", "accepted: " + String.join(", ", accepted), FIX));
      }
    }
    if (findings.isEmpty()) {
      findings.add(finding(Severity.OK, context.options().url(),
          "The server refuses NULL, RC4, export, DES, anonymous, 3DES and RSA-key-transport suites.", "", ""));
    }
    return CheckResult.of(this, findings);
  }

  private static List<String> acceptedSuites(AuditContext context, ClientHelloProbe probe,
      List<CipherSuite> offered) throws IOException {
    List<CipherSuite> remaining = new ArrayList<>(offered);
    List<String> accepted = new ArrayList<>();
    while (!remaining.isEmpty()) {
      ServerHelloAnswer answer = probe.offer(context.host(), context.address(), context.options().httpsPort(),
          TLS_1_2, remaining);
      if (!answer.isAccepted()) {
        break;
      }
      int chosen = answer.cipherSuite().orElseThrow();
      accepted.add(CipherSuites.name(chosen) + " (" + ServerHelloAnswer.versionName(answer.version().get()) + ")");
      if (!remaining.removeIf(s -> s.code() == chosen)) {
        break; // the server chose a suite that was not offered: stop rather than loop
      }
    }
    return accepted;
  }
}
