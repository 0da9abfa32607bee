package dev.gatehouse.audit;

import dev.gatehouse.audit.http.HostResolver;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.TlsSessionInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs checks against one deployment: resolves the host, makes sure something speaks TLS on the HTTPS port
 * (otherwise the audit cannot run), then runs each check in order. A check that fails with an exception is
 * reported as an {@link Severity#ERROR} of that check and the others still run. Thread-safe; each
 * {@link #run} is independent.
 */
public final class AuditRunner {
  /** ALPN offered by the first handshake: what browsers offer (RFC 7301, RFC 9113 §3.2). */
  private static final List<String> BROWSER_ALPN = List.of("h2", "http/1.1");

  private final List<AuditCheck> checks;
  private final Clock clock;

  public AuditRunner(List<AuditCheck> checks, Clock clock) {
    this.checks = List.copyOf(checks);
    this.clock = clock;
  }

  public AuditReport run(AuditOptions options) throws AuditUnavailableException {
    Instant started = clock.instant();
    HostResolver resolver = new HostResolver(options.resolve());
    InetAddress address;
    try {
      address = resolver.resolve(options.host());
    } catch (UnknownHostException e) {
      throw new AuditUnavailableException("cannot resolve " + options.host() + "; give its address with --resolve "
          + options.host() + ":IP", e);
    }
    List<ProbeResponse> responses = Collections.synchronizedList(new ArrayList<>());
    ProbeClient client = new ProbeClient(resolver, options.limits(), responses::add);
    TlsSessionInfo session;
    try {
      session = client.tls().handshake(options.host(), address, options.httpsPort(), List.of(), BROWSER_ALPN);
    } catch (IOException e) {
      throw new AuditUnavailableException("no TLS handshake with " + options.host() + " at "
          + address.getHostAddress() + ":" + options.httpsPort() + ": " + ProbeClient.describe(e), e);
    }
    AuditContext context = new AuditContext(options, client, responses, address, session, clock);
    List<CheckResult> results = new ArrayList<>();
    for (AuditCheck check : checks) {
      Instant checkStarted = clock.instant();
      results.add(runOne(check, context).withElapsed(Duration.between(checkStarted, clock.instant())));
    }
    return new AuditReport(options.url(), started, Duration.between(started, clock.instant()), results);
  }

  private static CheckResult runOne(AuditCheck check, AuditContext context) {
    try {
      return check.run(context);
    } catch (IOException | RuntimeException e) {
      String reason = e instanceof IOException io ? ProbeClient.describe(io) : e.toString();
      URI where = context.options().url();
      return CheckResult.of(check, List.of(new Finding(check.id(), Severity.ERROR, where,
          "The check could not be completed.", reason, "")));
    }
  }
}
