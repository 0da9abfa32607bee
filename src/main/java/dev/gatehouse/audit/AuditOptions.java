package dev.gatehouse.audit;

import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeLimits;
import dev.gatehouse.audit.tls.TrustStore;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to audit and how; the command line's flags, validated.
 *
 * @param url the {@code https://} URL to start from; its host is the name under test
 * @param httpPort where plain-HTTP probes go ({@code --http-port}, default {@value #DEFAULT_HTTP_PORT})
 * @param resolve lower-case host name to address ({@code --resolve HOST:IP})
 * @param trust the roots the certificate chain must lead to ({@code --ca-file} or the JDK defaults)
 * @param loginPath path of the login form ({@code --login-path}, default {@value #DEFAULT_LOGIN_PATH})
 * @param login an account to log in with ({@code --login}); without it the form is only posted with an
 *     invented user and no password
 * @param crawlPages pages on the same origin to scan for mixed content ({@code --crawl}, default
 *     {@value #DEFAULT_CRAWL_PAGES}); 0 scans none
 * @param upstreamPorts ports that must not be reachable from where the audit runs ({@code --upstream-ports})
 * @param limits timeouts and size limits of every probe
 */
public record AuditOptions(URI url, int httpPort, Map<String, InetAddress> resolve, TrustStore trust,
    String loginPath, Optional<LoginCredentials> login, int crawlPages, List<Integer> upstreamPorts,
    ProbeLimits limits) {

  public static final int DEFAULT_HTTP_PORT = 80;
  public static final String DEFAULT_LOGIN_PATH = "/admin/login/";
  public static final int DEFAULT_CRAWL_PAGES = 20;

  public AuditOptions {
    if (url == null || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("url: " + url + " (expected: https://HOST[:PORT][/PATH])");
    }
    if (url.getRawPath() == null || url.getRawPath().isEmpty()) {
      url = url.resolve("/");
    }
    checkPort("httpPort", httpPort);
    resolve = Map.copyOf(resolve);
    if (!loginPath.startsWith("/")) {
      throw new IllegalArgumentException("loginPath: " + loginPath + " (expected: a path starting with /)");
    }
    if (crawlPages < 0) {
      throw new IllegalArgumentException("crawlPages: " + crawlPages + " (expected: >= 0)");
    }
    upstreamPorts = List.copyOf(upstreamPorts);
    upstreamPorts.forEach(port -> checkPort("upstreamPorts", port));
  }

  /** Options with every default, for {@code url}. */
  public static AuditOptions defaults(URI url) {
    return new AuditOptions(url, DEFAULT_HTTP_PORT, Map.of(), TrustStore.jdkDefault(), DEFAULT_LOGIN_PATH,
        Optional.empty(), DEFAULT_CRAWL_PAGES, List.of(), ProbeLimits.defaults());
  }

  public String host() {
    return url.getHost();
  }

  public int httpsPort() {
    return ProbeClient.port(url);
  }

  private static void checkPort(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 1-65535)");
    }
  }
}
