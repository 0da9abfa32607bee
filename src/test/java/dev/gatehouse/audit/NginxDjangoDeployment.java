package dev.gatehouse.audit;

import dev.gatehouse.audit.check.StandardChecks;
import dev.gatehouse.audit.http.ProbeLimits;
import dev.gatehouse.audit.tls.TrustStore;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Nginx;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import dev.gatehouse.testing.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A Django test site under Gunicorn (Unix socket) behind nginx with a certificate from a test CA, on free
 * loopback ports, audited under a made-up name with {@code --resolve NAME:127.0.0.1}. The nginx configuration
 * can be swapped (reload) to plant one mistake at a time. Stops everything on {@link #close()}.
 */
final class NginxDjangoDeployment implements AutoCloseable {
  static final String HOST = "shop.audit.test";

  final Path dir;
  final TestCert ca;
  final Path caFile;
  final TestCert.PemFiles siteFiles;
  final int httpPort;
  final int httpsPort;
  private final DjangoApp app;
  private final Nginx nginx;

  private NginxDjangoDeployment(DjangoApp app, NginxSite site, Path dir, TestCert ca, Path caFile,
      TestCert.PemFiles siteFiles, Nginx nginx) {
    this.app = app;
    this.dir = dir;
    this.ca = ca;
    this.caFile = caFile;
    this.siteFiles = siteFiles;
    this.httpPort = site.httpPort();
    this.httpsPort = site.httpsPort();
    this.nginx = nginx;
  }

  /** Starts Django under Gunicorn on a Unix socket with {@code settings}, and nginx in front of it. */
  static NginxDjangoDeployment start(DjangoVersion version, Map<String, String> settings) {
    return startInFront(DjangoApp.gunicornUnix(version, settings));
  }

  /** Starts nginx, correctly configured, in front of {@code app}, which this deployment then owns. */
  static NginxDjangoDeployment startInFront(DjangoApp app) {
    return startInFront(app, FreePorts.next(), FreePorts.next());
  }

  /**
   * Picks the ports first, then starts the app {@code appForHttpsPort} makes (for settings that name the site's
   * origin, such as {@code CSRF_TRUSTED_ORIGINS}) and nginx in front of it.
   */
  static NginxDjangoDeployment start(IntFunction<DjangoApp> appForHttpsPort) {
    int httpsPort = FreePorts.next();
    return startInFront(appForHttpsPort.apply(httpsPort), FreePorts.next(), httpsPort);
  }

  private static NginxDjangoDeployment startInFront(DjangoApp app, int httpPort, int httpsPort) {
    Path dir = TestDirs.newInstanceDir("audit");
    Nginx nginx = null;
    try {
      TestCert ca = TestCerts.ca("Audit Test Root");
      Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
      TestCert.PemFiles siteFiles = TestCerts.forNames(HOST).signedBy(ca).issue().writeTo(dir, "site");
      NginxSite site = NginxSite.good(HOST, httpPort, httpsPort, app.upstreamArg(),
          siteFiles.cert(), siteFiles.key());
      nginx = Nginx.start(site.httpBlock());
      return new NginxDjangoDeployment(app, site, dir, ca, caFile, siteFiles, nginx);
    } catch (RuntimeException e) {
      if (nginx != null) {
        nginx.close();
      }
      app.close();
      TestDirs.deleteUnlessKept(dir);
      throw e;
    }
  }

  /** The correct nginx configuration of this deployment. */
  NginxSite goodSite() {
    return NginxSite.good(HOST, httpPort, httpsPort, app.upstreamArg(), siteFiles.cert(), siteFiles.key());
  }

  /** Reloads nginx with {@code site}. */
  void serve(NginxSite site) {
    nginx.reload(site.httpBlock());
  }

  /** Reloads nginx with a hand-edited {@code http {}} block. */
  void serveHttpBlock(String httpBlock) {
    nginx.reload(httpBlock);
  }

  String upstreamArg() {
    return app.upstreamArg();
  }

  URI url(String path) {
    return URI.create("https://" + HOST + ":" + httpsPort + path);
  }

  /** Options as {@code gatehouse audit https://HOST:PORT/path --resolve HOST:127.0.0.1 --ca-file ca.pem}. */
  AuditOptions options(String path) {
    try {
      return new AuditOptions(url(path), httpPort, Map.of(HOST, InetAddress.getByName("127.0.0.1")),
          TrustStore.fromPem(caFile), AuditOptions.DEFAULT_LOGIN_PATH, Optional.empty(),
          AuditOptions.DEFAULT_CRAWL_PAGES, List.of(), ProbeLimits.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  AuditReport audit(AuditOptions options) {
    try {
      return new AuditRunner(StandardChecks.all(), Clock.systemUTC()).run(options);
    } catch (AuditUnavailableException e) {
      throw new AssertionError("the audit could not run: " + e.getMessage(), e);
    }
  }

  AuditReport audit(String path) {
    return audit(options(path));
  }

  @Override
  public void close() {
    try {
      nginx.close();
    } finally {
      app.close();
      TestDirs.deleteUnlessKept(dir);
    }
  }
}
