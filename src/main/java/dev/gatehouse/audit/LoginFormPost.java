package dev.gatehouse.audit;

import dev.gatehouse.audit.html.LoginForm;
import dev.gatehouse.audit.http.HeaderFields;
import dev.gatehouse.audit.http.ProbeRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the POST a browser sends when a login form is submitted: the form's hidden fields (the CSRF token),
 * user and password, the {@code Cookie} field, and the {@code Origin} and {@code Referer} a browser adds
 * (Fetch §3.1, Referrer Policy §8.3), which are what Django's CSRF check compares with the scheme and host it
 * sees (django.middleware.csrf: Origin since 4.0, Referer on HTTPS).
 */
final class LoginFormPost {
  /** Prefix of the user names the wrong-password probes invent, so that server logs show who tried. */
  static final String PROBE_USER_PREFIX = "gatehouse-audit-probe-";

  private LoginFormPost() {}

  /**
   * @param origin the {@code Origin} value: {@code https://host[:port]} is what a browser on the site sends,
   *     {@code http://…} asks whether the app believes it is on plain HTTP, {@code null} is what a browser sends
   *     under {@code Referrer-Policy: no-referrer}
   * @param referer the {@code Referer} value, empty to send none
   * @param withToken false to leave out the CSRF token (to confirm that the form enforces CSRF at all)
   * @param credentials the account to use, or null for an invented user and an empty password: Django's login
   *     form is then invalid before authenticate() runs, so the probe passes the CSRF middleware (what it
   *     tests) without making the server hash a password or emit a failed-login signal (django-axes and similar
   *     count those)
   * @param extra further header fields (spoofed forwarding headers)
   */
  static ProbeRequest build(LoginPage page, String origin, Optional<String> referer, boolean withToken,
      LoginCredentials credentials, HeaderFields extra) {
    LoginForm form = page.form();
    Map<String, String> fields = new LinkedHashMap<>();
    form.hiddenFields().forEach((name, value) -> {
      if (withToken || !name.equals(LoginForm.DJANGO_CSRF_FIELD)) {
        fields.put(name, value);
      }
    });
    fields.put(form.userField(), credentials == null ? PROBE_USER_PREFIX + ProbeTokens.hex(6) : credentials.username());
    fields.put(form.passwordField(), credentials == null ? "" : credentials.password());
    ProbeRequest post = ProbeRequest.postForm(form.action(), fields).withHeader("Origin", origin);
    if (referer.isPresent()) {
      post = post.withHeader("Referer", referer.get());
    }
    for (HeaderFields.Field field : extra.asList()) {
      post = post.withHeader(field.name(), field.value());
    }
    return page.cookies().applyTo(post);
  }

  /** The page's URL as {@code Referer} under {@code origin} ({@code scheme://host[:port]}): path and query kept. */
  static String pageUrl(LoginPage page, String origin) {
    String path = page.response().uri().getRawPath();
    String query = page.response().uri().getRawQuery();
    return origin + path + (query == null ? "" : "?" + query);
  }
}
