package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.FormPostOutcome;
import dev.gatehouse.audit.LoginPage;
import dev.gatehouse.audit.ReferrerPolicies;
import dev.gatehouse.audit.SchemeVerdict;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.HeaderFields;
import dev.gatehouse.audit.http.ProbeResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A login POST over HTTPS, sent as a browser on the site would (valid CSRF token and cookie, the {@code Origin}
 * and {@code Referer} the login page's referrer policy makes the browser send, see
 * {@link ReferrerPolicies#sameOriginPost}), without valid credentials, must be processed, not refused with 403.
 * A 403 is what users see as "CSRF verification failed": Django 4.0+ compares {@code Origin} with the scheme and
 * host it sees ("Origin checking failed"; under {@code no-referrer} the Origin is {@code null}), before 4.0 it
 * needs a {@code Referer} on HTTPS.
 */
public final class CsrfCheck implements AuditCheck {
  /** Django's 403 page text for a missing Referer (django/views/csrf.py, REASON_NO_REFERER). */
  static final String NO_REFERER_TEXT = "Referer header";
  /** Django's 403 page text for a missing CSRF cookie (django/views/csrf.py, REASON_NO_CSRF_COOKIE). */
  static final String NO_COOKIE_TEXT = "requires a CSRF cookie";

  @Override
  public String id() {
    return "csrf";
  }

  @Override
  public String description() {
    return "a login POST over HTTPS passes the CSRF check (no 403 \"Origin checking failed\")";
  }

  @Override
  public CheckResult run(AuditContext context) throws IOException {
    Optional<LoginPage> page = context.loginPage();
    if (page.isEmpty()) {
      return CheckResult.skipped(this, context.noLoginFormReason());
    }
    URI login = page.get().response().uri();
    Optional<String> policy = ReferrerPolicies.effective(page.get().response());
    ReferrerPolicies.SameOriginPost browser = context.browserPost(page.get(), policy);
    ProbeResponse response = context.postWithoutCredentials(page.get(), browser, HeaderFields.of());
    String observed = "POST " + page.get().form().action() + " as a browser sends it under Referrer-Policy "
        + policy.orElse("(none: " + ReferrerPolicies.BROWSER_DEFAULT + ")") + ", with " + sent(browser) + " → "
        + response.status();
    FormPostOutcome outcome = FormPostOutcome.of(response);
    if (outcome == FormPostOutcome.ACCEPTED) {
      return CheckResult.of(this, List.of(finding(Severity.OK, login,
          "A login POST over HTTPS passes the CSRF check.", observed, "")));
    }
    if (outcome == FormPostOutcome.OTHER) {
      return CheckResult.of(this, List.of(finding(Severity.WARNING, login,
          "The login form POST answered " + response.status() + ", so the CSRF check could not be judged.",
          observed, "")));
    }
    ReferrerPolicies.SameOriginPost fullReferrer = context.browserPost(page.get());
    if (!fullReferrer.equals(browser)) {
      ProbeResponse withFullReferrer = context.postWithoutCredentials(page.get(), fullReferrer, HeaderFields.of());
      if (FormPostOutcome.of(withFullReferrer) == FormPostOutcome.ACCEPTED) {
        return CheckResult.of(this, List.of(finding(Severity.ERROR, login,
            "Logins fail with 403: the login page's Referrer-Policy " + policy.orElseThrow() + " makes browsers "
                + "send " + sent(browser) + " with the form, and Django refuses that (4.0+: \"Origin checking "
                + "failed - null does not match any trusted origins\"; before 4.0: \"Referer checking failed - "
                + "no Referer\").",
            observed + "; with " + sent(fullReferrer) + " → " + withFullReferrer.status(),
            Fixes.REFERRER_POLICY_FOR_CSRF)));
      }
    }
    String body = response.bodyText();
    if (body.contains(NO_REFERER_TEXT) && browser.referer().isPresent()) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, login,
          "Logins fail with 403: Django requires a Referer on HTTPS and none reached it (a proxy or middleware "
              + "drops it).", observed, "nginx: do not clear it (no proxy_set_header Referer \"\";).")));
    }
    if (body.contains(NO_COOKIE_TEXT)) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, login,
          "Logins fail with 403: the CSRF cookie set by the login page does not come back to Django.",
          observed + "; cookies sent: " + page.get().response().setCookies().stream().map(c -> c.name())
              .toList(),
          "Django: check CSRF_COOKIE_DOMAIN and CSRF_COOKIE_PATH match this host; a cache in front must not "
              + "serve the login page without its Set-Cookie (nginx: proxy_cache off for it).")));
    }
    boolean appSeesHttp = context.appScheme() == SchemeVerdict.HTTP;
    String cause = appSeesHttp
        ? " The app treats the request as plain HTTP (see django-https), so the https:// Origin looks "
            + "cross-site."
        : " The Origin https://" + context.httpsAuthority() + " does not match the scheme and host the app "
            + "sees: the proxy changes Host (for example drops the port), or CSRF_TRUSTED_ORIGINS lacks "
            + "the scheme.";
    return CheckResult.of(this, List.of(finding(Severity.ERROR, login,
        "Logins fail with 403 \"CSRF verification failed\" (Django: \"Origin checking failed\")." + cause,
        observed,
        (appSeesHttp ? Fixes.FORWARDED_PROTO + " " : "")
            + "nginx: proxy_set_header Host $http_host; (keeps the port). Django 4.0+: CSRF_TRUSTED_ORIGINS "
            + "entries need the scheme: CSRF_TRUSTED_ORIGINS = [\"" + context.httpsOrigin() + "\"].")));
  }

  /** {@code Origin: null, no Referer}, as a report shows what was sent. */
  private static String sent(ReferrerPolicies.SameOriginPost post) {
    return "Origin: " + post.origin() + post.referer().map(r -> ", Referer: " + r).orElse(", no Referer");
  }
}
