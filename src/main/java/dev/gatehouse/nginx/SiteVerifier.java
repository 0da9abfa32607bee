package dev.gatehouse.nginx;

import dev.gatehouse.generate.HstsStages;
import dev.gatehouse.generate.Site;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks over the network what a visitor and the CA will see. nginx applies a reload asynchronously (new
 * workers start while old ones finish), so each check is retried until it holds or {@link #SETTLE_TIMEOUT}
 * passes.
 */
final class SiteVerifier {

  /** How long a reloaded nginx may take to show its new configuration on every name. */
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final Site site;
  private final String address;

  SiteVerifier(Site site, String address) {
    this.site = site;
    this.address = address;
  }

  /**
   * Puts a random file where ACME tokens go and fetches it over port 80 for every name, as the CA will:
   * a failure here costs nothing, a failed validation counts against the CA's limits.
   */
  String webrootServed() throws Exception {
    Path dir = site.webroot().resolve(".well-known/acme-challenge");
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String token = "gatehouse-probe-" + HexFormat.of().formatHex(random);
    Path file = dir.resolve(token);
    Files.writeString(file, token, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try {
      for (String name : site.names()) {
        retry(() -> {
          SiteProbe.Response r = SiteProbe.http(address, site.httpPort(), hostHeader(name, site.httpPort(), 80),
              "/.well-known/acme-challenge/" + token);
          if (r.status() != 200) {
            throw new IOException("http://" + name + portSuffix(site.httpPort(), 80) + "/.well-known/acme-challenge/ answers "
                + r.status() + ", not the file in " + dir);
          }
          return null;
        });
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return "every name serves " + dir;
  }

  /**
   * For every name: port 80 redirects to the same URL on HTTPS; HTTPS presents {@code leaf}, reaches the app
   * (no 502/504) and sends HSTS once when configured. Returns warnings about what the app does wrong.
   */
  List<String> httpsServed(X509Certificate leaf) throws Exception {
    List<String> warnings = new ArrayList<>();
    Optional<String> hsts = HstsStages.headerValue(site.hsts());
    for (String name : site.names()) {
      String path = "/?gatehouse-check=1";
      String https = "https://" + name + portSuffix(site.httpsPort(), 443);
      retry(() -> {
        SiteProbe.Response r = SiteProbe.http(address, site.httpPort(), hostHeader(name, site.httpPort(), 80), path);
        String location = r.first("location");
        if (r.status() != 301 || !(https + path).equals(location)) {
          throw new IOException("http://" + name + portSuffix(site.httpPort(), 80) + path + " answers " + r.status()
              + (location == null ? "" : " to " + location) + ", expected 301 to " + https + path);
        }
        return null;
      });
      SiteProbe.Response r = retry(() -> {
        SiteProbe.Response answer = SiteProbe.https(address, site.httpsPort(), name,
            hostHeader(name, site.httpsPort(), 443), path, leaf);
        if (answer.status() == 502 || answer.status() == 504) {
          throw new IOException(https + path + " answers " + answer.status() + ": nginx cannot reach the app server at "
              + site.upstream().spec());
        }
        List<String> sts = answer.all("strict-transport-security");
        if (hsts.isPresent() && !sts.equals(List.of(hsts.get()))) {
          throw new IOException(https + " sends Strict-Transport-Security " + sts + ", expected exactly [" + hsts.get() + "]");
        }
        return answer;
      });
      String location = r.first("location");
      if (r.status() / 100 == 3 && location != null && (location.equals(https + path) || location.startsWith("http://"))) {
        warnings.add(https + path + " redirects to " + location
            + ": the app does not see HTTPS; apply SECURE_PROXY_SSL_HEADER from the settings below");
      }
    }
    return warnings;
  }

  private interface Check<T> {
    T run() throws Exception;
  }

  private static <T> T retry(Check<T> check) throws Exception {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (true) {
      try {
        return check.run();
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(RETRY_PAUSE.toMillis());
      }
    }
  }

  private static String hostHeader(String name, int port, int defaultPort) {
    return name + portSuffix(port, defaultPort);
  }

  private static String portSuffix(int port, int defaultPort) {
    return port == defaultPort ? "" : ":" + port;
  }
}
