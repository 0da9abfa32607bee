package dev.gatehouse.audit;

import dev.gatehouse.audit.html.LoginForm;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.SetCookie;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a response was made by the Django app rather than by a proxy in front of it (a landing page, a static
 * index, a health page the proxy answers itself). Only traces that Django leaves and a proxy does not are taken:
 * its cookies, its CSRF form field, the bodies of its default error pages (django/views/defaults.py), and a
 * redirect of an HTTPS URL to itself, which is what {@code SECURE_SSL_REDIRECT} does when it cannot see HTTPS.
 */
public final class AppEvidence {
  /** Cookie names of Django's defaults (SESSION_COOKIE_NAME, CSRF_COOKIE_NAME, messages, LANGUAGE_COOKIE_NAME). */
  private static final Set<String> DJANGO_COOKIES = Set.of("csrftoken", "sessionid", "messages", "django_language");
  /** Body text of Django's default error pages with DEBUG off (django/views/defaults.py, django/views/csrf.py). */
  private static final List<String> DJANGO_ERROR_PAGES = List.of(
      "<p>The requested resource was not found on this server.</p>",
      "<h1>Bad Request (400)</h1>",
      "<h1>403 Forbidden</h1>",
      "<h1>Server Error (500)</h1>",
      "CSRF verification failed");

  private AppEvidence() {}

  /** Why {@code response} comes from the app, e.g. {@code "sets cookie csrftoken"}; empty when nothing shows it. */
  public static Optional<String> of(ProbeResponse response) {
    if (redirectsToItself(response)) {
      return Optional.of("answers " + response.status() + " with a Location to itself");
    }
    for (SetCookie cookie : response.setCookies()) {
      if (DJANGO_COOKIES.contains(cookie.name().toLowerCase(Locale.ROOT))) {
        return Optional.of("sets Django's cookie " + cookie.name());
      }
    }
    String body = response.bodyText();
    if (body.contains("name=\"" + LoginForm.DJANGO_CSRF_FIELD + "\"")) {
      return Optional.of("has a form with Django's " + LoginForm.DJANGO_CSRF_FIELD);
    }
    for (String page : DJANGO_ERROR_PAGES) {
      if (body.contains(page)) {
        return Optional.of("is Django's " + response.status() + " page");
      }
    }
    return Optional.empty();
  }

  /** An HTTPS response redirecting to its own URL: a loop for every client that follows it. */
  public static boolean redirectsToItself(ProbeResponse response) {
    return response.isRedirect() && "https".equalsIgnoreCase(response.uri().getScheme())
        && response.location().map(l -> ProbeClient.normalize(l).equals(ProbeClient.normalize(response.uri())))
            .orElse(false);
  }
}
