package dev.gatehouse.audit.check;

/**
 * Fix texts that several checks give, each naming the exact setting per stack: nginx directive, Caddyfile,
 * Django setting, Gatehouse. Kept in one place so that the same problem always gets the same advice.
 */
final class Fixes {
  private Fixes() {}

  /** The proxy must tell Django the original scheme and Django must trust exactly that header. */
  static final String FORWARDED_PROTO = "nginx: proxy_set_header X-Forwarded-Proto $scheme; in the location that "
      + "proxies to the app, on the server that terminates TLS; a second proxy behind it must pass that value on, "
      + "not its own scheme (nginx there: no X-Forwarded-Proto $scheme line). Django: SECURE_PROXY_SSL_HEADER = "
      + "(\"HTTP_X_FORWARDED_PROTO\", \"https\"). Caddy (reverse_proxy) and gatehouse serve send X-Forwarded-Proto "
      + "already; then only the Django setting is missing.";

  /** Permanent redirect from port 80, keeping host, path and query. */
  static final String HTTP_TO_HTTPS = "nginx: server { listen 80; server_name HOST; return 301 "
      + "https://$host$request_uri; }. Caddy redirects permanently by default; gatehouse serve too "
      + "(--redirect-status 301|308). Django "
      + "(when the app itself redirects): SECURE_SSL_REDIRECT = True with SECURE_PROXY_SSL_HEADER set.";

  /** Security headers are best set by Django's SecurityMiddleware. */
  static final String SECURITY_MIDDLEWARE = "Django: keep django.middleware.security.SecurityMiddleware first in "
      + "MIDDLEWARE";

  /** A referrer policy under which browsers still send the Origin and Referer Django's CSRF check needs. */
  static final String REFERRER_POLICY_FOR_CSRF = "Django: SECURE_REFERRER_POLICY = \"same-origin\" (the default "
      + "since 3.1) or \"strict-origin-when-cross-origin\". nginx: add_header Referrer-Policy same-origin always; "
      + "in place of no-referrer. Caddy: header Referrer-Policy same-origin. Remove any <meta name=\"referrer\" "
      + "content=\"no-referrer\">.";
}
