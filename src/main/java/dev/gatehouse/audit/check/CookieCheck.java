package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.LoginPage;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.SetCookie;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every cookie set over HTTPS must be {@code Secure} (RFC 6265 §4.1.2.5), or it also travels over any plain-HTTP
 * request a visitor makes; the session cookie must be {@code HttpOnly} (§4.1.2.6); {@code SameSite} is noted and
 * {@code SameSite=None} needs {@code Secure} (RFC 6265bis §4.1.2.7, enforced by browsers). Looks at the start
 * page, the crawl, the login page ({@code csrftoken}) and, with {@code --login}, the login response
 * ({@code sessionid}).
 */
public final class CookieCheck implements AuditCheck {
  /** Django's default cookie names (settings SESSION_COOKIE_NAME, CSRF_COOKIE_NAME) and their settings. */
  private static final Map<String, String> DJANGO_SECURE_SETTINGS = Map.of(
      "sessionid", "SESSION_COOKIE_SECURE = True",
      "csrftoken", "CSRF_COOKIE_SECURE = True",
      "messages", "SESSION_COOKIE_SECURE = True (the cookie message storage follows it)",
      "django_language", "LANGUAGE_COOKIE_SECURE = True");
  private static final Set<String> SESSION_NAMES = Set.of("sessionid");

  @Override
  public String id() {
    return "cookies";
  }

  @Override
  public String description() {
    return "cookies set over HTTPS are Secure; the session cookie is HttpOnly; SameSite noted";
  }

  @Override
  public CheckResult run(AuditContext context) throws IOException {
    List<Finding> findings = new ArrayList<>();
    context.landingPage();
    Optional<LoginPage> loginPage = context.loginPage();
    Optional<ProbeResponse> login = context.credentialLogin();
    URI loginUri = context.loginUri();
    Set<String> sessionNames = new HashSet<>(SESSION_NAMES);
    if (context.options().login().isPresent()) {
      if (loginPage.isEmpty()) {
        findings.add(finding(Severity.WARNING, loginUri, "--login was given but the session cookie was not "
            + "checked: " + context.noLoginFormReason() + ".", "", ""));
      } else if (login.isEmpty()) {
        findings.add(finding(Severity.INFO, loginUri, "Credentials were not sent: the certificate is not "
            + "acceptable (see certificate-chain and certificate-name).", "", ""));
      } else {
        login.get().setCookies().stream().filter(c -> !c.deletes() && !c.name().equalsIgnoreCase("csrftoken"))
            .forEach(c -> sessionNames.add(c.name()));
        if (login.get().status() != 302 && login.get().status() != 303) {
          findings.add(finding(Severity.WARNING, loginUri, "Logging in as " + context.options().login().get()
              .username() + " did not redirect (wrong password, or refused); the session cookie was not seen.",
              login.get().describe("Location"), ""));
        }
      }
    }
    Map<String, CookieSeen> cookies = new LinkedHashMap<>();
    for (ProbeResponse response : context.responsesSoFar()) {
      if (!"https".equalsIgnoreCase(response.uri().getScheme())) {
        continue;
      }
      for (SetCookie cookie : response.setCookies()) {
        if (!cookie.deletes()) {
          cookies.putIfAbsent(cookie.name(), new CookieSeen(cookie, response.uri()));
        }
      }
    }
    for (CookieSeen seen : cookies.values()) {
      judge(seen.cookie(), seen.uri(), sessionNames.contains(seen.cookie().name()), findings);
    }
    if (cookies.isEmpty()) {
      findings.add(finding(Severity.INFO, context.options().url(), "No cookie was set on the pages visited.",
          "", ""));
    }
    return CheckResult.of(this, findings);
  }

  private record CookieSeen(SetCookie cookie, URI uri) {}

  private void judge(SetCookie cookie, URI uri, boolean session, List<Finding> findings) {
    String name = cookie.name();
    String observed = "Set-Cookie: " + abbreviateValue(cookie);
    boolean problem = false;
    if (!cookie.secure()) {
      problem = true;
      String setting = DJANGO_SECURE_SETTINGS.getOrDefault(name.toLowerCase(Locale.ROOT),
          "the Secure flag where the app sets " + name);
      findings.add(finding(Severity.ERROR, uri,
          "Cookie " + name + " is set over HTTPS without Secure: the browser also sends it over plain HTTP, "
              + "where anyone on the network can read it.",
          observed, "Django: " + setting + ". nginx (any app): proxy_cookie_flags ~ secure; (1.19.3+). "
              + "Caddy: header >Set-Cookie (.*) \"$1; Secure\"."));
    }
    if (session && !cookie.httpOnly()) {
      problem = true;
      findings.add(finding(Severity.WARNING, uri,
          "Session cookie " + name + " is readable by JavaScript (no HttpOnly): an XSS bug can steal sessions.",
          observed, "Django: SESSION_COOKIE_HTTPONLY = True (the default)."));
    }
    Optional<String> sameSite = cookie.sameSite();
    if (sameSite.isPresent() && sameSite.get().equalsIgnoreCase("none") && !cookie.secure()) {
      problem = true;
      findings.add(finding(Severity.ERROR, uri,
          "Cookie " + name + " has SameSite=None without Secure: browsers reject it.", observed,
          "Django: SESSION_COOKIE_SAMESITE = \"Lax\" (or keep None and set the Secure settings)."));
    }
    if (!problem) {
      findings.add(finding(Severity.OK, uri, "Cookie " + name + " is Secure"
          + (cookie.httpOnly() ? ", HttpOnly" : "") + ", SameSite=" + sameSite.orElse("(not set: Lax in "
          + "browsers)") + ".", observed, ""));
    }
  }

  /** The cookie with its value shortened: session ids do not belong in reports. */
  private static String abbreviateValue(SetCookie cookie) {
    String raw = cookie.raw();
    int eq = raw.indexOf('=');
    int semicolon = raw.indexOf(';');
    if (eq < 0) {
      return raw;
    }
    String rest = semicolon < 0 ? "" : raw.substring(semicolon);
    return raw.substring(0, eq + 1) + "…" + rest;
  }
}
