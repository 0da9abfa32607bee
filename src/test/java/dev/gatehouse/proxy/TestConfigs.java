package dev.gatehouse.proxy;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.AccessLog;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.CertificateSource;
import dev.gatehouse.config.Cidr;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.TestCert;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Configuration records for proxy tests, built the way the CLI builds them. */
final class TestConfigs {
  private TestConfigs() {}

  static SiteConfig site(List<String> names, Optional<Upstream> upstream, List<StaticMount> statics) {
    return new SiteConfig(names, upstream, statics, new CertificateSource.LocalCa());
  }

  static ServeConfig serve(
      List<SiteConfig> sites, int httpPort, int httpsPort, Path stateDir, Limits limits, List<Cidr> trusted,
      HstsPolicy hsts) {
    return new ServeConfig(
        sites, "127.0.0.1", httpPort, httpsPort, stateDir, hsts, 0, limits, trusted, new AccessLog.Off(),
        AcmeSettings.DEFAULT);
  }

  static ServeConfig serve(List<SiteConfig> sites, int httpPort, int httpsPort, Path stateDir) {
    return serve(sites, httpPort, httpsPort, stateDir, Limits.DEFAULTS, List.of(), HstsPolicy.DEFAULT);
  }

  /**
   * A runtime for handler tests without an upstream: site {@code app.test} with {@code /static/} served from
   * {@code staticRoot}, a 1000-byte body limit, HSTS {@code max-age=600}, no access log, files read inline.
   */
  static ServerRuntime staticSiteRuntime(Path dir, Path staticRoot) throws ConfigException, IOException {
    ServeConfig config =
        serve(
            List.of(site(List.of("app.test"), Optional.empty(), List.of(StaticMount.parse("t", "/static/=" + staticRoot)))),
            0, ClientChannel.LOCAL_PORT, dir.resolve("state"), Limits.DEFAULTS.withMaxBodyBytes(1000), List.of(),
            new HstsPolicy(HstsPolicy.Mode.FIXED, 600, false, false));
    return new ServerRuntime(
        config, Transport.detect(), new ChallengeResponses(), new HstsRamp(HstsRampState.inMemory(), Clock.systemUTC()),
        AccessLogWriter.open(new AccessLog.Off()), Runnable::run, Optional.empty());
  }

  static CertifiedKey key(TestCert cert) {
    return new CertifiedKey(cert.chain(), cert.keyPair().getPrivate());
  }
}
