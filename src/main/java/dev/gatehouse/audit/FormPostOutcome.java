package dev.gatehouse.audit;

import dev.gatehouse.audit.http.ProbeResponse;
import java.util.Locale;

/** How a login form POST without valid credentials came back. */
public enum FormPostOutcome {
  /** The form was processed: re-rendered with an error (200) or, for a real account, a redirect. */
  ACCEPTED,
  /** Refused before the form was processed: Django's CSRF protection answers 403. */
  CSRF_REJECTED,
  /** Anything else (404, 405, 5xx): the probe says nothing about CSRF. */
  OTHER;

  public static FormPostOutcome of(ProbeResponse response) {
    int status = response.status();
    if (status == 200 || (status >= 300 && status < 400)) {
      return ACCEPTED;
    }
    if (status == 403) {
      return CSRF_REJECTED;
    }
    return OTHER;
  }

  /** Whether a 403 page is Django's "CSRF verification failed" page (django/views/csrf.py). */
  public static boolean isDjangoCsrfPage(ProbeResponse response) {
    return response.status() == 403 && response.bodyText().toUpperCase(Locale.ROOT).contains("CSRF");
  }
}
