package dev.gatehouse.generate;

import dev.gatehouse.config.HstsPolicy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Django settings snippet for a site behind an HTTPS proxy, every value overridable by an environment
 * variable. One file works from Django 3.2 to 5.x: where the versions disagree (the form of
 * CSRF_TRUSTED_ORIGINS) it asks {@code django.VERSION} at import time.
 */
public final class DjangoSettingsGenerator {

  public static final String FILE_NAME = "gatehouse_settings.py";

  /** What {@code --dev} writes: settings for {@code gatehouse dev}, never for production. */
  public static final String DEV_FILE_NAME = "gatehouse_dev_settings.py";

  /** The header Gatehouse sets on every request, as Django names it (see {@code SECURE_PROXY_SSL_HEADER}). */
  public static final String SECURE_PROXY_SSL_HEADER = "SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")";

  /** The names {@code gatehouse dev} answers to; {@code .localhost} covers every subdomain. */
  public static final String DEV_ALLOWED_HOSTS = "ALLOWED_HOSTS = [\"localhost\", \".localhost\", \"127.0.0.1\"]";

  /**
   * The origins of {@code gatehouse dev} on {@code httpsPort}, port included: Django 4.0+ compares the
   * whole origin (scheme, host, port) of an unsafe request with these and with the request's own.
   */
  public static String devCsrfTrustedOrigins(int httpsPort) {
    return "CSRF_TRUSTED_ORIGINS = [\"https://localhost:" + httpsPort + "\", \"https://*.localhost:" + httpsPort + "\"]";
  }

  /**
   * The settings a Django project needs behind {@code gatehouse dev} on {@code httpsPort}. Secure cookies
   * on, as in production, so that a cookie problem shows in development; no HSTS and no SSL redirect,
   * since browsers keep HSTS for {@code localhost} across every project run there (RFC 6797 §8.1 keys it by
   * host name only, not port).
   */
  public GeneratedFile devSettings(int httpsPort) {
    String text =
        """
        # Django settings for local HTTPS development under `gatehouse dev` (https://localhost:%1$d),
        # written by `gatehouse generate django --dev`. Not for production: use `gatehouse generate django`.
        #
        # Save as gatehouse_dev_settings.py next to settings.py and, in the development settings, add
        #     from .gatehouse_dev_settings import *  # noqa: F401,F403

        # gatehouse dev terminates TLS and says so in X-Forwarded-Proto: with this, request.is_secure() is
        # true, so redirects, build_absolute_uri() and the CSRF origin check use https.
        %2$s

        # localhost and every *.localhost name (RFC 6761 §6.3: they all resolve to this machine).
        %3$s

        # POSTs from the dev server's pages pass the CSRF origin check (scheme and port included).
        %4$s

        # Cookies only over HTTPS, as in production: a view that breaks without them shows it here.
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True

        # No HSTS on localhost: browsers would remember it for every project served there.
        SECURE_HSTS_SECONDS = 0
        SECURE_SSL_REDIRECT = False
        """
            .formatted(httpsPort, SECURE_PROXY_SSL_HEADER, DEV_ALLOWED_HOSTS, devCsrfTrustedOrigins(httpsPort));
    return new GeneratedFile(DEV_FILE_NAME, text);
  }

  /**
   * @param names the site's names, as for the proxy
   * @param httpsPort the public HTTPS port; origins carry it when it is not 443
   */
  public GeneratedFile settings(List<String> names, int httpsPort, HstsPolicy hsts) {
    String port = httpsPort == Site.DEFAULT_HTTPS_PORT ? "" : ":" + httpsPort;
    List<String> hosts = names.stream().map(n -> n.startsWith("*.") ? n.substring(1) : n).toList();
    List<String> origins = names.stream().map(n -> "https://" + n + port).toList();
    List<String> legacyOrigins = hosts.stream().map(n -> n + port).toList();
    long hstsSeconds = HstsStages.maxAge(hsts).orElse(0L);
    boolean preload = hsts.preload() && hstsSeconds >= HstsPolicy.PRELOAD_MIN_SECONDS;

    String text =
        """
        # Django settings for %1$s behind an HTTPS proxy (nginx, Caddy or Gatehouse),
        # written by `gatehouse generate django`. For Django 3.2 to 5.x.
        #
        # Save as gatehouse_settings.py next to settings.py and end settings.py with
        #     from .gatehouse_settings import *  # noqa: F401,F403
        # or paste it at the end of settings.py. Every value can be overridden by the environment variable
        # named next to it, so one settings file serves production and a plain-HTTP development server
        # (DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_CSRF_COOKIE_SECURE=0).
        # `python manage.py check --deploy` then stays quiet about SSL redirect, secure cookies and (unless
        # HSTS is off) HSTS: security.W008, W012, W016, W004.
        import os

        import django


        def _env_bool(name, default):
            value = os.environ.get(name)
            if value is None:
                return default
            return value.strip().lower() in ("1", "true", "yes", "on")


        def _env_list(name, default):
            value = os.environ.get(name)
            if value is None:
                return default
            return [item.strip() for item in value.split(",") if item.strip()]


        # The proxy terminates TLS and says so in X-Forwarded-Proto; with this, request.is_secure() is true
        # behind it, so redirects, build_absolute_uri() and the CSRF checks use https. Safe only because the
        # proxy always sets this header itself, replacing what a client sent: never set it for an app that
        # clients can reach without going through the proxy.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

        # The names this site answers to; any other Host gets 400. The proxy forwards the client's Host
        # unchanged (port included), so USE_X_FORWARDED_HOST stays off: one header fewer to trust.
        # Env: DJANGO_ALLOWED_HOSTS=name,name
        ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", %2$s)

        # Origins allowed to send unsafe requests (POST, PUT, DELETE). Same-origin requests pass without this;
        # it matters when a form or fetch on one of the site's names posts to another. Django 4.0 and later
        # compare the Origin header, scheme and port included; 3.2 compares the Referer's host and port.
        # Env: DJANGO_CSRF_TRUSTED_ORIGINS=origin,origin
        if django.VERSION >= (4, 0):
            CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", %3$s)
        else:
            CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", %4$s)

        # Cookies only over HTTPS: a session or CSRF cookie sent once over plain HTTP can be read on the way
        # and replayed. Env: DJANGO_SESSION_COOKIE_SECURE, DJANGO_CSRF_COOKIE_SECURE (1/0)
        SESSION_COOKIE_SECURE = _env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
        CSRF_COOKIE_SECURE = _env_bool("DJANGO_CSRF_COOKIE_SECURE", True)

        # Django also redirects plain HTTP to HTTPS, for any request that reaches it around the proxy's own
        # redirect. No loop: thanks to SECURE_PROXY_SSL_HEADER the proxied HTTPS requests count as secure.
        # Env: DJANGO_SECURE_SSL_REDIRECT (1/0)
        SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)

        # HSTS (RFC 6797): browsers that saw it use only HTTPS here for this many seconds. Roll it out in
        # stages, raising it once HTTPS has worked on every name for a whole stage:
        # %5$s (1 year, the preload list's minimum).
        # The nginx and Caddy files from `gatehouse generate` send their own header and hide Django's, so
        # this value counts when Django is reached another way. Env: DJANGO_SECURE_HSTS_SECONDS (0 = off)
        SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "%6$d"))
        # Subdomains and the preload list are hard to take back: only once every subdomain has HTTPS.
        # Env: DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS, DJANGO_SECURE_HSTS_PRELOAD (1/0)
        SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", %7$s)
        SECURE_HSTS_PRELOAD = _env_bool("DJANGO_SECURE_HSTS_PRELOAD", %8$s)
        """
            .formatted(
                String.join(" ", names),
                pythonList(hosts),
                pythonList(origins),
                pythonList(legacyOrigins),
                HstsStages.rampText(),
                hstsSeconds,
                pythonBool(hsts.includeSubdomains()),
                pythonBool(preload));
    return new GeneratedFile(FILE_NAME, text);
  }

  /** Names are DNS names and origins (letters, digits, {@code .-*:/}), so no escaping is needed. */
  private static String pythonList(List<String> items) {
    return items.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  private static String pythonBool(boolean b) {
    return b ? "True" : "False";
  }
}
