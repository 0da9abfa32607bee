package dev.gatehouse.audit;

import static dev.gatehouse.audit.ReportAssertions.assertClean;
import static dev.gatehouse.audit.ReportAssertions.assertFinds;
import static dev.gatehouse.audit.ReportAssertions.assertPasses;
import static dev.gatehouse.audit.ReportAssertions.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Django's own settings mistakes behind a correct nginx, each planted in its own Django process, and Django 3.2
 * behind the same nginx: each finding appears with the fault and disappears with the setting the fix names.
 */
class DjangoSettingsAuditIT {
  private static final String ORIGIN_HOST = NginxDjangoDeployment.HOST;

  /** Gunicorn on TCP trusting forwarding headers only from another proxy address: Django must read them itself. */
  private static DjangoApp gunicornNotTranslatingProto(Map<String, String> settings) {
    return DjangoApp.builder(DjangoVersion.VENV_52).gunicorn().tcp()
        .extraArgs("--forwarded-allow-ips", "192.0.2.1").env(settings).start();
  }

  @Test
  void sslRedirectWithoutProxySslHeaderLoopsAndTheSettingFixesIt() {
    try (NginxDjangoDeployment broken = NginxDjangoDeployment.startInFront(gunicornNotTranslatingProto(Map.of(
        "DJANGO_SECURE_SSL_REDIRECT", "1", "DJANGO_SECURE_PROXY_SSL_HEADER", "0")))) {
      AuditReport report = broken.audit("/echo/");

      Finding loop = assertFinds(report, "redirect-loop", Severity.ERROR, "redirects to itself");
      assertThat(loop.message()).contains("SECURE_SSL_REDIRECT").contains("SECURE_PROXY_SSL_HEADER");
      assertThat(loop.fix()).contains("SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")");
      assertPasses(report, "http-redirect");
    }
    try (NginxDjangoDeployment fixed = NginxDjangoDeployment.startInFront(gunicornNotTranslatingProto(Map.of(
        "DJANGO_SECURE_SSL_REDIRECT", "1", "DJANGO_SECURE_PROXY_SSL_HEADER", "1")))) {
      AuditReport report = fixed.audit("/echo/");

      assertClean(report);
      assertPasses(report, "redirect-loop");
    }
  }

  @Test
  void cookiesWithoutSecureAreErrorsNamingTheDjangoSetting() {
    try (NginxDjangoDeployment deployment = NginxDjangoDeployment.start(DjangoVersion.VENV_52, Map.of(
        "DJANGO_SESSION_COOKIE_SECURE", "0", "DJANGO_CSRF_COOKIE_SECURE", "0"))) {
      AuditReport report = deployment.audit(TestOptions.login(deployment.options("/echo/"),
          DjangoApp.ADMIN_USERNAME, DjangoApp.ADMIN_PASSWORD));

      Finding csrf = assertFinds(report, "cookies", Severity.ERROR,
          "Cookie csrftoken is set over HTTPS without Secure");
      assertThat(csrf.fix()).contains("CSRF_COOKIE_SECURE = True");
      Finding session = assertFinds(report, "cookies", Severity.ERROR,
          "Cookie sessionid is set over HTTPS without Secure");
      assertThat(session.fix()).contains("SESSION_COOKIE_SECURE = True");
      assertThat(session.observed()).doesNotContain(DjangoApp.ADMIN_PASSWORD).contains("sessionid=…");
    }
  }

  @Test
  void trustedOriginWithoutSchemeDoesNotHelpDjango52AndWithSchemeItDoes() {
    try (NginxDjangoDeployment withoutScheme = NginxDjangoDeployment.start(port -> DjangoApp.gunicornUnix(
        DjangoVersion.VENV_52, Map.of("DJANGO_CSRF_TRUSTED_ORIGINS", ORIGIN_HOST + ":" + port)))) {
      withoutScheme.serve(withoutScheme.goodSite().withForwardedProto(null));

      AuditReport report = withoutScheme.audit("/echo/");

      Finding csrf = assertFinds(report, "csrf", Severity.ERROR, "Logins fail with 403");
      assertThat(csrf.fix()).contains("CSRF_TRUSTED_ORIGINS = [\"https://" + ORIGIN_HOST + ":"
          + withoutScheme.httpsPort + "\"]");
    }
    try (NginxDjangoDeployment withScheme = NginxDjangoDeployment.start(port -> DjangoApp.gunicornUnix(
        DjangoVersion.VENV_52, Map.of("DJANGO_CSRF_TRUSTED_ORIGINS", "https://" + ORIGIN_HOST + ":" + port)))) {
      withScheme.serve(withScheme.goodSite().withForwardedProto(null));

      AuditReport report = withScheme.audit("/echo/");

      assertPasses(report, "csrf");
      assertFinds(report, "django-https", Severity.ERROR, "treats HTTPS requests as plain HTTP");
    }
  }

  @Test
  void django32IsCleanAndNoReferrerPolicyOrNoForwardedProtoAreFound() {
    try (NginxDjangoDeployment deployment = NginxDjangoDeployment.start(DjangoVersion.DEBIAN_32, Map.of())) {
      AuditReport good = deployment.audit(TestOptions.login(deployment.options("/echo/"),
          DjangoApp.ADMIN_USERNAME, DjangoApp.ADMIN_PASSWORD));
      deployment.serve(deployment.goodSite().withExtraTls(
          "  proxy_hide_header Referrer-Policy;\n  add_header Referrer-Policy no-referrer always;"));
      AuditReport noReferrer = deployment.audit("/echo/");
      deployment.serve(deployment.goodSite().withForwardedProto(null));
      AuditReport noForwardedProto = deployment.audit("/echo/");

      assertClean(good);
      assertPasses(good, "csrf");
      assertPasses(good, "django-https");
      Finding csrf = assertFinds(noReferrer, "csrf", Severity.ERROR, "Referrer-Policy no-referrer");
      assertThat(csrf.fix()).contains("SECURE_REFERRER_POLICY = \"same-origin\"");
      assertFinds(noReferrer, "referrer-policy", Severity.INFO, "no-referrer");
      // Django 3.2 checks Referer only on requests it sees as secure: the probe reads the scheme from that.
      assertFinds(noForwardedProto, "django-https", Severity.ERROR, "treats HTTPS requests as plain HTTP");
    }
  }

  @Test
  void forwardedHostFromTheClientIsTrustedUnlessTheProxySetsIt() {
    try (NginxDjangoDeployment deployment = NginxDjangoDeployment.start(DjangoVersion.VENV_52, Map.of(
        "DJANGO_USE_X_FORWARDED_HOST", "1"))) {
      AuditReport passedThrough = deployment.audit("/echo/");
      deployment.serve(deployment.goodSite().withForwardedHost("$http_host"));
      AuditReport setByProxy = deployment.audit("/echo/");

      Finding finding = assertFinds(passedThrough, "forwarded-headers", Severity.ERROR,
          "builds URLs from a client-sent X-Forwarded-Host");
      assertThat(finding.fix()).contains("proxy_set_header X-Forwarded-Host $http_host;");
      assertClean(setByProxy);
      assertPasses(setByProxy, "forwarded-headers");
    }
  }

  @Test
  void gunicornReachableOnItsTcpPortIsAnError() {
    try (NginxDjangoDeployment deployment = NginxDjangoDeployment.startInFront(
        DjangoApp.builder(DjangoVersion.VENV_52).gunicorn().tcp().start())) {
      int appPort = Integer.parseInt(deployment.upstreamArg().substring(deployment.upstreamArg().lastIndexOf(':') + 1));

      AuditReport report = deployment.audit(TestOptions.upstreamPorts(deployment.options("/echo/"), appPort));

      Finding finding = assertFinds(report, "upstream-exposure", Severity.ERROR, "Port " + appPort
          + " accepts connections");
      assertThat(finding.fix()).contains("--bind unix:");
      assertThat(report.findings()).as(text(report)).filteredOn(f -> f.severity().reaches(Severity.WARNING))
          .extracting(Finding::checkId).containsOnly("upstream-exposure");
    }
  }
}
