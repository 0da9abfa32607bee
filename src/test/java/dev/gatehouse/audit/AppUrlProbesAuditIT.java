package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app-side faults of issue 12, on layouts where the audit must find a URL the app answers because the start
 * URL may not be one: nginx answering {@code /} itself, Django answering it, the app mounted under a sub-path,
 * and a second nginx hop in front; Django 5.2 and 3.2. Each fault makes {@code gatehouse audit --fail-on
 * warning} exit 1 with its finding, and the fixed deployment exits 0. One Django per version and mount, with the
 * settings the faults need ({@code SECURE_SSL_REDIRECT}, {@code USE_X_FORWARDED_HOST}); the faults are planted in
 * nginx, reloaded between audits.
 */
class AppUrlProbesAuditIT {
  private static final String LANDING = "<!doctype html><html><head><title>Shop</title></head>"
      + "<body><h1>Welcome to the shop</h1></body></html>";
  private static final String LANDING_LINKING_THE_APP = "<!doctype html><html><head><title>Shop</title></head>"
      + "<body><h1>Welcome</h1><a href=\"/app/\">The shop</a></body></html>";
  private static final String NO_REFERRER = "  proxy_hide_header Referrer-Policy;\n"
      + "  add_header Referrer-Policy no-referrer always;";
  /** Settings that are harmless behind a correct proxy and turn the proxy's mistakes into the faults. */
  private static final Map<String, String> FAULT_PRONE = Map.of(
      "DJANGO_SECURE_SSL_REDIRECT", "1", "DJANGO_USE_X_FORWARDED_HOST", "1");

  private static NginxDjangoDeployment django52;
  private static NginxDjangoDeployment django52UnderApp;
  private static NginxDjangoDeployment django32;

  @BeforeAll
  static void start() {
    django52 = NginxDjangoDeployment.start(DjangoVersion.VENV_52, FAULT_PRONE);
    django52UnderApp = NginxDjangoDeployment.startInFront(DjangoApp.gunicornUnix(DjangoVersion.VENV_52,
        Map.of("DJANGO_SECURE_SSL_REDIRECT", "1", "DJANGO_USE_X_FORWARDED_HOST", "1",
            "DJANGO_FORCE_SCRIPT_NAME", "/app")));
    // ALLOWED_HOSTS names the site, so a made-up X-Forwarded-Host gets 400 here (5.2 allows every name).
    django32 = NginxDjangoDeployment.start(DjangoVersion.DEBIAN_32, Map.of(
        "DJANGO_SECURE_SSL_REDIRECT", "1", "DJANGO_USE_X_FORWARDED_HOST", "1",
        "DJANGO_ALLOWED_HOSTS", NginxDjangoDeployment.HOST));
  }

  @AfterAll
  static void stop() {
    for (NginxDjangoDeployment deployment : new NginxDjangoDeployment[] {django52, django52UnderApp, django32}) {
      if (deployment != null) {
        deployment.close();
      }
    }
  }

  /** The correct proxy for an app with {@code USE_X_FORWARDED_HOST}: it sets the header itself. */
  private static NginxSite fixed(NginxDjangoDeployment deployment, NginxSite.Layout layout) {
    return deployment.goodSite().withForwardedHost("$http_host").withLayout(layout);
  }

  /**
   * Plants each fault in turn and audits {@code /}: the loop, the client's X-Forwarded-Host and no-referrer are
   * each found with exit 1, on a URL of the app (never {@code /} where nginx answers it); the fixed deployment
   * exits 0.
   */
  private static void eachFaultFoundAndFixedIsClean(NginxDjangoDeployment deployment, NginxSite.Layout layout) {
    NginxSite fixed = fixed(deployment, layout);

    deployment.serve(fixed.withForwardedProto(null));
    AuditCli loop = AuditCli.run(deployment, "/");
    deployment.serve(fixed.withForwardedHost(null));
    AuditCli clientHost = AuditCli.run(deployment, "/");
    deployment.serve(fixed.withExtraTls(NO_REFERRER));
    AuditCli noReferrer = AuditCli.run(deployment, "/");
    deployment.serve(fixed);
    AuditCli clean = AuditCli.run(deployment, "/");

    JsonNode loopFinding = loop.assertFails("redirect-loop", "error", "redirects to itself");
    assertThat(loopFinding.get("fix").asText()).contains("proxy_set_header X-Forwarded-Proto $scheme;");
    JsonNode hostFinding = clientHost.assertFails("forwarded-headers", "error",
        "takes its host from a client-sent X-Forwarded-Host");
    assertThat(hostFinding.get("fix").asText()).contains("proxy_set_header X-Forwarded-Host $http_host;");
    JsonNode csrfFinding = noReferrer.assertFails("csrf", "error", "Referrer-Policy no-referrer");
    assertThat(csrfFinding.get("fix").asText()).contains("SECURE_REFERRER_POLICY = \"same-origin\"")
        .contains("add_header Referrer-Policy same-origin always;");
    assertThat(csrfFinding.get("observed").asText()).contains("Origin: null, no Referer");
    if (layout.landingPage() != null) {
      for (JsonNode finding : new JsonNode[] {loopFinding, hostFinding, csrfFinding}) {
        assertThat(finding.get("url").asText()).as(finding.toString())
            .isNotEqualTo(deployment.url("/").toString());
      }
    }
    clean.assertClean();
  }

  @Test
  void django52BehindNginxThatAnswersTheStartPageItself() {
    eachFaultFoundAndFixedIsClean(django52, NginxSite.Layout.landingPage(LANDING));
  }

  @Test
  void django52AnsweringTheStartPage() {
    eachFaultFoundAndFixedIsClean(django52, NginxSite.Layout.APP_AT_ROOT);
  }

  @Test
  void django52MountedUnderASubPathFoundThroughTheCrawl() {
    eachFaultFoundAndFixedIsClean(django52UnderApp, NginxSite.Layout.appUnder("/app/", LANDING_LINKING_THE_APP));
  }

  @Test
  void django32BehindNginxThatAnswersTheStartPageItself() {
    eachFaultFoundAndFixedIsClean(django32, NginxSite.Layout.landingPage(LANDING));
  }

  @Test
  void django32AnsweringTheStartPage() {
    eachFaultFoundAndFixedIsClean(django32, NginxSite.Layout.APP_AT_ROOT);
  }

  @Test
  void django32BehindASecondNginxHop() {
    eachFaultFoundAndFixedIsClean(django32, NginxSite.Layout.landingPage(LANDING).behindInnerHop(FreePorts.next()));
  }

  @Test
  void innerHopReplacingTheEdgesSchemeWithItsOwnLoops() {
    NginxSite.Layout layout = NginxSite.Layout.landingPage(LANDING).behindInnerHop(FreePorts.next())
        .withInnerDirectives("    proxy_set_header X-Forwarded-Proto $scheme;\n");
    django52.serve(fixed(django52, layout));

    AuditCli audit = AuditCli.run(django52, "/");

    JsonNode loop = audit.assertFails("redirect-loop", "error", "redirects to itself");
    assertThat(loop.get("url").asText()).isNotEqualTo(django52.url("/").toString());
    assertThat(loop.get("fix").asText()).contains("a second proxy behind it must pass that value on");
  }

  @Test
  void noReferrerWithoutALoginFormToTryIsAWarningOnTheAppsRandomPath() {
    NginxSite.Layout layout = NginxSite.Layout.landingPage(LANDING);
    django52.serve(fixed(django52, layout).withExtraTls(NO_REFERRER));

    // The login path is nginx's landing page and nothing is crawled: only a random path reaches Django.
    AuditCli audit = AuditCli.run(django52, "/", "--login-path", "/", "--crawl", "0");

    JsonNode finding = audit.assertFails("referrer-policy", "warning", "Origin: null");
    assertThat(finding.get("url").asText()).startsWith(django52.url("/gatehouse-audit-").toString());
    assertThat(finding.get("fix").asText()).contains("SECURE_REFERRER_POLICY = \"same-origin\"");
  }
}
