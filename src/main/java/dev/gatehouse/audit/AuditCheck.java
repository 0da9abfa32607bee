package dev.gatehouse.audit;

import java.io.IOException;
import java.net.URI;

/**
 * One item of the deployment checklist. Implementations are stateless; all network access goes through the
 * {@link AuditContext}, which caches what several checks need (the start page, the TLS session, the login form).
 *
 * <p>Contract: {@link #run} is called once per audit, on the audit's thread, and may block on the network for
 * as long as the context's timeouts allow. Whatever the server does (refuse, time out, answer nonsense) is a
 * finding, not an exception; an {@link IOException} means the check could not be completed and is reported by
 * the runner as an {@link Severity#ERROR} of this check.
 */
public interface AuditCheck {
  /** Stable identifier used in reports and by CI, e.g. {@code http-redirect}. Never changes between releases. */
  String id();

  /** What the check verifies, one line, e.g. "plain HTTP redirects to HTTPS permanently, in one hop". */
  String description();

  /** Runs the check against the deployment the context describes. */
  CheckResult run(AuditContext context) throws IOException;

  /** A finding of this check. */
  default Finding finding(Severity severity, URI url, String message, String observed, String fix) {
    return new Finding(id(), severity, url, message, observed, fix);
  }
}
