package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigFile;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.ServeConfigBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The flags of {@code gatehouse serve}, a public contract: keep their names. They map onto the same
 * {@link ServeConfigBuilder} as {@code gatehouse.toml}; a flag given with {@code --config} overrides the
 * file's value, and DOMAIN arguments add one more site.
 */
public final class ServeOptions {

  @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "Names of the site, in one certificate; the first is its primary name. Default: localhost.")
  List<String> domains = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "gatehouse.toml with these settings and several [[site]] tables.")
  Path config;

  @Option(names = "--upstream", paramLabel = "ADDR", description = "unix:/path/to.sock, HOST:PORT or http://HOST:PORT (Gunicorn, Uvicorn). Without it: a built-in page.")
  String upstream;

  @Option(names = "--static", paramLabel = "PREFIX=DIR", description = "Serve files under PREFIX from DIR; repeatable (/static/=/srv/app/staticfiles).")
  List<String> statics = new ArrayList<>();

  @Option(names = "--http-port", paramLabel = "N", description = "Plain-HTTP port: redirects and ACME http-01 (default 80; 0 turns it off).")
  String httpPort;

  @Option(names = "--https-port", paramLabel = "N", description = "HTTPS port (default 443).")
  String httpsPort;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 0.0.0.0).")
  String bind;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Your own certificate chain (leaf first).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Keys, certificates and state (default /var/lib/gatehouse as root, else ~/.local/share/gatehouse).")
  Path stateDir;

  @Option(names = "--store", paramLabel = "URL", description = "Share certificates, keys and locks with the site's other servers in PostgreSQL: postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]. Password from PGPASSWORD, ~/.pgpass or password_file in --config.")
  String store;

  @Option(names = "--store-key-file", paramLabel = "FILE", description = "Key that encrypts private keys in --store; the same file on every server (default STATE_DIR/store.key, created on first use).")
  Path storeKeyFile;

  @Option(names = "--hsts", paramLabel = "off|ramp|SECONDS", description = "Strict-Transport-Security: ramp (default) rises from 300 s to a year while HTTPS keeps working.")
  String hsts;

  @Option(names = "--hsts-include-subdomains", description = "Add includeSubDomains to HSTS.")
  boolean hstsIncludeSubdomains;

  @Option(names = "--hsts-preload", description = "Add preload to HSTS (needs --hsts-include-subdomains and a year).")
  boolean hstsPreload;

  @Option(names = "--redirect-status", paramLabel = "301|308", description = "Status of the HTTP→HTTPS redirect (default: 301 for GET/HEAD, 308 otherwise).")
  String redirectStatus;

  @Option(names = "--max-body", paramLabel = "SIZE", description = "Largest request body (default 20M); larger gets 413.")
  String maxBody;

  @Option(names = "--upstream-timeout", paramLabel = "DURATION", description = "Time for the app to start answering (default 60s); past it: 504.")
  String upstreamTimeout;

  @Option(names = "--header-read-timeout", paramLabel = "DURATION", description = "Time for a client to send a request head (default 10s; slowloris).")
  String headerReadTimeout;

  @Option(names = "--body-idle-timeout", paramLabel = "DURATION", description = "Longest pause in a request body (default 60s).")
  String bodyIdleTimeout;

  @Option(names = "--keep-alive-timeout", paramLabel = "DURATION", description = "How long an idle client connection stays open (default 75s).")
  String keepAliveTimeout;

  @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION", description = "Time for a client to finish the TLS handshake (default 10s).")
  String tlsHandshakeTimeout;

  @Option(names = "--write-timeout", paramLabel = "DURATION", description = "Longest stall while a client reads a response (default 60s; slow read).")
  String writeTimeout;

  @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Open connections per client address (default 0: no cap).")
  String maxConnectionsPerIp;

  @Option(names = "--no-buffer-requests", description = "Stream request bodies to the app as they arrive instead of reading them whole first (for streaming endpoints).")
  boolean noBufferRequests;

  @Option(names = "--stream-requests", paramLabel = "PREFIX", description = "Stream request bodies under this path prefix to the app as they arrive (e.g. /api/upload/); repeatable. Such uploads hold an app worker while the client sends.")
  List<String> streamRequests = new ArrayList<>();

  @Option(names = "--trusted-proxy", paramLabel = "CIDR", description = "A proxy in front of Gatehouse whose X-Forwarded-* headers are kept; repeatable.")
  List<String> trustedProxies = new ArrayList<>();

  @Option(names = "--access-log", paramLabel = "FILE|-|off", description = "One line per request (default -: standard output).")
  String accessLog;

  @Option(names = "--access-log-format", paramLabel = "common|combined|json", description = "Access log lines: common (default: Common Log Format with host and duration), combined (Apache/nginx, with Referer and User-Agent) or json (one object per line).")
  String accessLogFormat;

  @Option(names = "--admin", paramLabel = "[ADDR:]PORT", description = "Admin listener for /metrics, /status, /healthz, /readyz (off by default; a bare port is 127.0.0.1; any other address must be written out).")
  String admin;

  @Option(names = "--log-level", paramLabel = "error|warn|info|debug", description = "How much goes to standard error (default info: start, certificates and their issuance steps, problems).")
  String logLevel;

  @Mixin AcmeOptions acme = new AcmeOptions();

  /** The configuration these flags (and the --config file, if any) describe. */
  public ServeConfig toConfig() throws ConfigException {
    ServeConfigBuilder b = new ServeConfigBuilder();
    if (config != null) {
      ConfigFile.read(config).applyTo(b);
    }
    if (bind != null) {
      b.bind("--bind", bind);
    }
    if (httpPort != null) {
      b.httpPort("--http-port", httpPort);
    }
    if (httpsPort != null) {
      b.httpsPort("--https-port", httpsPort);
    }
    if (stateDir != null) {
      b.stateDir(stateDir);
    }
    if (store != null) {
      b.store("--store", store);
    }
    if (storeKeyFile != null) {
      b.storeKeyFile(storeKeyFile);
    }
    if (hsts != null) {
      b.hsts("--hsts", hsts);
    }
    if (hstsIncludeSubdomains) {
      b.hstsIncludeSubdomains(true);
    }
    if (hstsPreload) {
      b.hstsPreload(true);
    }
    if (redirectStatus != null) {
      b.redirectStatus("--redirect-status", redirectStatus);
    }
    if (maxBody != null) {
      b.maxBody("--max-body", maxBody);
    }
    if (upstreamTimeout != null) {
      b.upstreamTimeout("--upstream-timeout", upstreamTimeout);
    }
    String[][] timeouts = {
      {"--header-read-timeout", "header_read_timeout", headerReadTimeout},
      {"--body-idle-timeout", "body_idle_timeout", bodyIdleTimeout},
      {"--keep-alive-timeout", "keep_alive_timeout", keepAliveTimeout},
      {"--tls-handshake-timeout", "tls_handshake_timeout", tlsHandshakeTimeout},
      {"--write-timeout", "write_timeout", writeTimeout},
    };
    for (String[] timeout : timeouts) {
      if (timeout[2] != null) {
        b.clientTimeout(timeout[0], timeout[1], timeout[2]);
      }
    }
    if (maxConnectionsPerIp != null) {
      b.maxConnectionsPerIp("--max-connections-per-ip", maxConnectionsPerIp);
    }
    if (noBufferRequests) {
      b.bufferRequests(false);
    }
    for (String prefix : streamRequests) {
      b.streamRequests("--stream-requests", prefix);
    }
    for (String cidr : trustedProxies) {
      b.trustedProxy("--trusted-proxy", cidr);
    }
    if (accessLog != null) {
      b.accessLog("--access-log", accessLog);
    }
    if (accessLogFormat != null) {
      b.accessLogFormat("--access-log-format", accessLogFormat);
    }
    if (admin != null) {
      b.admin("--admin", admin);
    }
    b.acme(acme.applyTo(b.acme()));
    Optional<String> ca = acme.caFlag();
    if (ca.isPresent()) {
      b.ca(acme.caFlagName(), ca.get());
    }
    boolean siteFlags = upstream != null || !statics.isEmpty() || tlsCert != null || tlsKey != null;
    if (!domains.isEmpty() || config == null || siteFlags) {
      List<String> names = domains.isEmpty() ? List.of("localhost") : domains;
      if (config != null && domains.isEmpty()) {
        throw new ConfigException(
            "--upstream, --static, --tls-cert and --tls-key with --config need DOMAIN arguments (expected: the site's names, or put them in a [[site]] of the file)");
      }
      b.site(
          new ServeConfigBuilder.SiteSpec(
              names, Optional.ofNullable(upstream), statics, Optional.empty(), Optional.ofNullable(tlsCert),
              Optional.ofNullable(tlsKey), ServeConfigBuilder.SiteSpec.FLAGS));
    }
    return b.build();
  }
}
