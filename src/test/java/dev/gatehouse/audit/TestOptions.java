package dev.gatehouse.audit;

import java.util.List;
import java.util.Optional;

/** Copies of {@link AuditOptions} with one flag changed, as a test would pass it on the command line. */
final class TestOptions {
  private TestOptions() {}

  static AuditOptions login(AuditOptions o, String user, String password) {
    return new AuditOptions(o.url(), o.httpPort(), o.resolve(), o.trust(), o.loginPath(),
        Optional.of(new LoginCredentials(user, password)), o.crawlPages(), o.upstreamPorts(), o.limits());
  }

  static AuditOptions crawl(AuditOptions o, int pages) {
    return new AuditOptions(o.url(), o.httpPort(), o.resolve(), o.trust(), o.loginPath(), o.login(), pages,
        o.upstreamPorts(), o.limits());
  }

  static AuditOptions upstreamPorts(AuditOptions o, Integer... ports) {
    return new AuditOptions(o.url(), o.httpPort(), o.resolve(), o.trust(), o.loginPath(), o.login(),
        o.crawlPages(), List.of(ports), o.limits());
  }

  static AuditOptions httpPort(AuditOptions o, int port) {
    return new AuditOptions(o.url(), port, o.resolve(), o.trust(), o.loginPath(), o.login(), o.crawlPages(),
        o.upstreamPorts(), o.limits());
  }
}
