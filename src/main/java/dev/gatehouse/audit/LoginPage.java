package dev.gatehouse.audit;

import dev.gatehouse.audit.html.LoginForm;
import dev.gatehouse.audit.http.CookieJar;
import dev.gatehouse.audit.http.ProbeResponse;

/**
 * The login page as the audit fetched it over HTTPS, with the cookies it set (Django's {@code csrftoken}) and
 * its form.
 *
 * @param response the GET response
 * @param cookies the cookies to send with the form, as a browser would
 * @param form the login form found on it
 */
public record LoginPage(ProbeResponse response, CookieJar cookies, LoginForm form) {}
