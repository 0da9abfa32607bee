package dev.gatehouse.audit;

/**
 * Which scheme the application believes an HTTPS request arrived with, as far as the audit can tell from the
 * outside (see {@link AuditContext#appScheme}).
 */
public enum SchemeVerdict {
  /** The app treats the request as HTTPS: the proxy's {@code X-Forwarded-Proto} reaches it and is trusted. */
  HTTPS,
  /** The app treats the request as plain HTTP: it does not get, or does not trust, the proxy's header. */
  HTTP,
  /** No Django-style login form, or the form does not enforce CSRF: the probe cannot tell. */
  UNKNOWN
}
