package dev.gatehouse.audit;

import static dev.gatehouse.audit.ReportAssertions.assertClean;
import static dev.gatehouse.audit.ReportAssertions.assertFinds;
import static dev.gatehouse.audit.ReportAssertions.assertPasses;
import static dev.gatehouse.audit.ReportAssertions.findingsOf;
import static dev.gatehouse.audit.ReportAssertions.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nginx in front of Django 5.2 under Gunicorn, correct, then with one of nginx's usual mistakes at a time
 * (reloaded between tests): each check finds its fault here and is silent on the correct deployment.
 */
class NginxMistakesAuditIT {
  private static NginxDjangoDeployment deployment;

  @BeforeAll
  static void start() {
    deployment = NginxDjangoDeployment.start(DjangoVersion.VENV_52, Map.of());
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  private static NginxSite good() {
    return deployment.goodSite();
  }

  @Test
  void correctDeploymentPassesEveryCheckWithoutWarnings() {
    deployment.serve(good());
    AuditOptions options = TestOptions.upstreamPorts(
        TestOptions.login(deployment.options("/echo/"), DjangoApp.ADMIN_USERNAME, DjangoApp.ADMIN_PASSWORD),
        FreePorts.next());

    AuditReport report = deployment.audit(options);

    assertClean(report);
    for (String check : List.of("http-redirect", "redirect-loop", "certificate-chain", "certificate-name",
        "certificate-expiry", "certificate-key", "tls-versions", "tls-ciphers", "http2", "hsts", "hsts-plain-http",
        "django-https", "csrf", "forwarded-headers", "cookies", "x-content-type-options", "referrer-policy",
        "frame-options", "server-version", "upstream-exposure", "acme-http01")) {
      assertPasses(report, check);
    }
    assertThat(findingsOf(report, "cookies")).as(text(report))
        .anyMatch(f -> f.message().startsWith("Cookie sessionid is Secure, HttpOnly"))
        .anyMatch(f -> f.message().startsWith("Cookie csrftoken is Secure"));
  }

  @Test
  void cleanPageHasNoMixedContentAndMixedPageListsEachElement() {
    deployment.serve(good());

    AuditReport clean = deployment.audit(TestOptions.crawl(deployment.options("/clean/"), 1));
    AuditReport mixed = deployment.audit(TestOptions.crawl(deployment.options("/mixed/"), 1));

    assertClean(clean);
    assertPasses(clean, "mixed-content");
    assertFinds(mixed, "mixed-content", Severity.ERROR, "<script> loads http://cdn.example.test/app.js");
    assertFinds(mixed, "mixed-content", Severity.ERROR, "<link> loads http://cdn.example.test/style.css");
    assertFinds(mixed, "mixed-content", Severity.ERROR, "<iframe> loads http://widgets.example.test/frame");
    assertFinds(mixed, "mixed-content", Severity.ERROR, "<form> submits to http://forms.example.test/submit");
    assertFinds(mixed, "mixed-content", Severity.WARNING, "<img> loads http://cdn.example.test/logo.png");
    assertFinds(mixed, "mixed-content", Severity.WARNING, "<img> loads http://cdn.example.test/large.png");
    assertFinds(mixed, "mixed-content", Severity.WARNING, "CSS loads url() over http://: "
        + "http://cdn.example.test/bg.png");
    assertThat(findingsOf(mixed, "mixed-content")).as(text(mixed)).hasSize(7)
        .allMatch(f -> f.url().getPath().equals("/mixed/"));
  }

  @Test
  void crawlFollowsLinksToFindMixedContentOnAnotherPage() {
    deployment.serve(good());

    AuditReport report = deployment.audit(TestOptions.crawl(deployment.options("/clean/"), 5));

    assertFinds(report, "mixed-content", Severity.ERROR, "<script> loads http://cdn.example.test/app.js");
  }

  @Test
  void missingForwardedProtoMeansDjangoSeesHttpAndRefusesLogins() {
    deployment.serve(good().withForwardedProto(null));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "django-https", Severity.ERROR, "treats HTTPS requests as plain HTTP");
    Finding csrf = assertFinds(report, "csrf", Severity.ERROR, "Logins fail with 403");
    assertThat(csrf.message()).contains("treats the request as plain HTTP");
    assertThat(csrf.fix()).contains("proxy_set_header X-Forwarded-Proto $scheme;")
        .contains("SECURE_PROXY_SSL_HEADER");
    // nginx passes request headers it does not set, so the client's own X-Forwarded-Proto reaches Gunicorn.
    assertFinds(report, "forwarded-headers", Severity.ERROR, "client-sent X-Forwarded-Proto");
  }

  @Test
  void forwardedProtoCopiedFromTheClientIsSpoofable() {
    deployment.serve(good().withForwardedProto("$http_x_forwarded_proto"));

    AuditReport report = deployment.audit("/echo/");

    Finding spoof = assertFinds(report, "forwarded-headers", Severity.ERROR, "client-sent X-Forwarded-Proto");
    assertThat(spoof.fix()).contains("$scheme").contains("$http_x_forwarded_proto");
  }

  @Test
  void forwardedForAppendedToTheClientsListReachesTheApp() {
    deployment.serve(good().withForwardedFor("$proxy_add_x_forwarded_for"));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "forwarded-headers", Severity.WARNING, "client-sent X-Forwarded-For reaches the app");
  }

  @Test
  void temporaryRedirectIsAWarning() {
    deployment.serve(good().withRedirectStatus(302));

    AuditReport report = deployment.audit("/echo/");

    Finding finding = assertFinds(report, "http-redirect", Severity.WARNING, "temporary (302)");
    assertThat(finding.observed()).startsWith("302 Location: https://" + NginxDjangoDeployment.HOST);
    assertThat(finding.fix()).contains("return 301 https://$host$request_uri;");
  }

  @Test
  void redirectThatDropsTheHttpsPortIsAnError() {
    deployment.serveHttpBlock(good().httpBlock().replace(
        "https://$host:" + deployment.httpsPort + "$request_uri", "https://$host$request_uri"));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "http-redirect", Severity.ERROR, "goes to HTTPS port 443");
  }

  @Test
  void plainHttpPortWithNothingListeningWarnsAndBreaksRenewal() {
    deployment.serve(good());

    AuditReport report = deployment.audit(TestOptions.httpPort(deployment.options("/echo/"), FreePorts.next()));

    assertFinds(report, "http-redirect", Severity.WARNING, "Nothing answers plain HTTP");
    assertFinds(report, "acme-http01", Severity.ERROR, "gets no answer");
  }

  @Test
  void hstsOnPlainHttpIsFlagged() {
    deployment.serve(good().withHsts(NginxSite.GOOD_HSTS, true));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "hsts-plain-http", Severity.WARNING, "sent over plain HTTP");
    assertPasses(report, "hsts");
  }

  @Test
  void missingHstsAndPreloadWithoutSubdomainsAreFlagged() {
    deployment.serve(good().withHsts(null, false));
    AuditReport missing = deployment.audit("/echo/");
    deployment.serve(good().withHsts("max-age=31536000; preload", false));
    AuditReport preload = deployment.audit("/echo/");

    assertFinds(missing, "hsts", Severity.WARNING, "No Strict-Transport-Security");
    assertFinds(preload, "hsts", Severity.ERROR, "preload is set without what the preload list requires");
  }

  @Test
  void missingHttp2IsAWarning() {
    deployment.serve(good().withHttp2(false));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "http2", Severity.WARNING, "HTTP/2 is not offered");
  }

  @Test
  void oldTlsVersionsAndWeakCiphersAreFound() {
    TestCert rsa = TestCerts.forNames(NginxDjangoDeployment.HOST).keyType(TestCerts.KeyType.RSA_2048)
        .signedBy(deployment.ca).issue();
    TestCert.PemFiles rsaFiles = rsa.writeTo(deployment.dir, "rsa");
    deployment.serve(good().withCertificate(rsaFiles.cert(), rsaFiles.key())
        .withTls("TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", "ALL:@SECLEVEL=0"));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "tls-versions", Severity.ERROR, "TLS 1.0 is accepted");
    assertFinds(report, "tls-versions", Severity.ERROR, "TLS 1.1 is accepted");
    Finding broken = assertFinds(report, "tls-ciphers", Severity.ERROR, "broken suites");
    assertThat(broken.observed()).contains("_anon_");
    Finding rsaTransport = assertFinds(report, "tls-ciphers", Severity.WARNING, "RSA key transport");
    assertThat(rsaTransport.observed()).contains("TLS_RSA_WITH_AES_128_GCM_SHA256");
  }

  @Test
  void missingTls13IsAWarning() {
    deployment.serve(good().withTls("TLSv1.2", NginxSite.MOZILLA_INTERMEDIATE_CIPHERS));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "tls-versions", Severity.WARNING, "TLSv1.3 is not offered");
  }

  @Test
  void serverTokensRevealTheNginxVersion() {
    deployment.serve(good().withServerTokens(true));

    AuditReport report = deployment.audit("/echo/");

    Finding finding = assertFinds(report, "server-version", Severity.WARNING, "Server reveals software versions");
    assertThat(finding.observed()).startsWith("Server: nginx/");
    assertThat(finding.fix()).contains("server_tokens off;");
  }

  @Test
  void hiddenSecurityHeadersAreEachReported() {
    deployment.serve(good().withExtraTls("  proxy_hide_header X-Content-Type-Options;\n"
        + "  proxy_hide_header X-Frame-Options;\n  proxy_hide_header Referrer-Policy;"));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "x-content-type-options", Severity.WARNING, "nosniff is missing");
    assertFinds(report, "frame-options", Severity.WARNING, "Nothing forbids framing");
    assertFinds(report, "referrer-policy", Severity.WARNING, "No Referrer-Policy");
  }

  @Test
  void challengePathProxiedToADeadServerBreaksRenewal() {
    deployment.serve(good().withAcmeLocation("proxy_pass http://127.0.0.1:" + FreePorts.next() + ";"));

    AuditReport report = deployment.audit("/echo/");

    Finding finding = assertFinds(report, "acme-http01", Severity.ERROR, "gets 502");
    assertThat(finding.fix()).contains("/.well-known/acme-challenge/");
  }

  @Test
  void expiredCertificateIsAnErrorOfExpiryNotOfTheChain() {
    TestCert.PemFiles expired = TestCerts.forNames(NginxDjangoDeployment.HOST).signedBy(deployment.ca).expired()
        .issue().writeTo(deployment.dir, "expired");
    deployment.serve(good().withCertificate(expired.cert(), expired.key()));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "certificate-expiry", Severity.ERROR, "The certificate expired");
    assertPasses(report, "certificate-chain");
    assertPasses(report, "certificate-name");
  }

  @Test
  void certificateExpiringSoonIsAWarning() {
    TestCert.PemFiles soon = TestCerts.forNames(NginxDjangoDeployment.HOST).signedBy(deployment.ca)
        .expiresIn(Duration.ofDays(10).plusHours(2)).issue().writeTo(deployment.dir, "soon");
    deployment.serve(good().withCertificate(soon.cert(), soon.key()));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "certificate-expiry", Severity.WARNING, "expires in 10 days");
  }

  @Test
  void certificateForAnotherNameIsAnError() {
    TestCert.PemFiles other = TestCerts.forNames("other.audit.test").signedBy(deployment.ca).issue()
        .writeTo(deployment.dir, "other");
    deployment.serve(good().withCertificate(other.cert(), other.key()));

    AuditReport report = deployment.audit(TestOptions.login(deployment.options("/echo/"),
        DjangoApp.ADMIN_USERNAME, DjangoApp.ADMIN_PASSWORD));

    Finding finding = assertFinds(report, "certificate-name", Severity.ERROR, "does not name "
        + NginxDjangoDeployment.HOST);
    assertThat(finding.observed()).contains("other.audit.test");
    assertFinds(report, "cookies", Severity.INFO, "Credentials were not sent");
  }

  @Test
  void chainWithoutItsIntermediateDoesNotVerify() {
    TestCert intermediate = TestCerts.forNames("intermediate.audit.test")
        .commonName("Audit Test Intermediate").asCa()
        .signedBy(deployment.ca).issue();
    TestCert leaf = TestCerts.forNames(NginxDjangoDeployment.HOST).signedBy(intermediate).issue();
    TestCert.PemFiles fullChain = leaf.writeTo(deployment.dir, "fullchain");
    TestCert.PemFiles leafOnly = leaf.writeTo(deployment.dir, "cert");
    leaf.writeCertificate(leafOnly.cert());

    deployment.serve(good().withCertificate(fullChain.cert(), fullChain.key()));
    AuditReport withIntermediate = deployment.audit("/echo/");
    deployment.serve(good().withCertificate(leafOnly.cert(), leafOnly.key()));
    AuditReport withoutIntermediate = deployment.audit("/echo/");

    assertPasses(withIntermediate, "certificate-chain");
    Finding finding = assertFinds(withoutIntermediate, "certificate-chain", Severity.ERROR, "does not verify");
    assertThat(finding.message()).contains("issued by CN=Audit Test Intermediate");
    assertThat(finding.fix()).contains("fullchain.pem");
  }

  @Test
  void weakRsaKeyIsAnError() {
    TestCert.PemFiles weak = WeakKeyCertificate.write(deployment.ca, NginxDjangoDeployment.HOST, deployment.dir);
    deployment.serve(good().withCertificate(weak.cert(), weak.key())
        .withTls("TLSv1.2 TLSv1.3", NginxSite.MOZILLA_INTERMEDIATE_CIPHERS + ":@SECLEVEL=0"));

    AuditReport report = deployment.audit("/echo/");

    assertFinds(report, "certificate-key", Severity.ERROR, "key is too small (RSA 1024-bit)");
  }
}
