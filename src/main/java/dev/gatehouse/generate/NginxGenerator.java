package dev.gatehouse.generate;

import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import java.util.List;
import java.util.Optional;

/**
 * An nginx site file for a Django app: port 80 answers ACME http-01 from the webroot and redirects the rest,
 * port 443 terminates TLS (Mozilla intermediate) and proxies to Gunicorn or Uvicorn with the headers Django
 * needs; on both, a Host that is not one of the site's names is refused ({@link NginxHostCheck}). The file
 * goes inside nginx's {@code http {}} block (Debian: {@code /etc/nginx/sites-enabled/}).
 */
public final class NginxGenerator {

  /**
   * Request headers only a proxy may set, which nginx would otherwise pass on from the client. An empty
   * {@code proxy_set_header} value makes nginx drop the header. Gunicorn trusts X-Forwarded-Proto,
   * -Protocol and -Ssl from every Unix-socket peer (its {@code secure_scheme_headers}): a client's
   * {@code X-Forwarded-Ssl: off} next to nginx's {@code X-Forwarded-Proto: https} makes it answer 400, and
   * {@code X-Forwarded-Protocol: ssl} on plain HTTP would fake HTTPS. {@code Forwarded} is RFC 7239's form.
   */
  public static final List<String> CLIENT_HEADERS_DROPPED =
      List.of("Forwarded", "X-Forwarded-Ssl", "X-Forwarded-Protocol", "X-Forwarded-Scheme");

  /**
   * The one Upgrade token passed on to the app (RFC 6455 §4.1: the opening handshake sends {@code Upgrade:
   * websocket}): Django Channels and Uvicorn accept WebSockets. Other tokens (h2c, RFC 9113 §3.1 dropped it)
   * get no {@code Connection: upgrade}, so no app server switches protocols for them.
   */
  public static final String UPGRADE_PROTOCOL = "websocket";

  /**
   * The variable of the http-level {@code map} that becomes the upstream {@code Connection} header. Named for
   * Gatehouse so it never collides with a {@code $connection_upgrade} the nginx.conf already defines; every
   * Gatehouse site file defines the same map, which nginx accepts (a map variable may be defined again).
   */
  static final String CONNECTION_VARIABLE = "$gatehouse_connection_upgrade";

  private static final String INDENT = "    ";

  private final NginxVersion version;

  public NginxGenerator(NginxVersion version) {
    this.version = version;
  }

  /** The name the site file is installed under in the sites directory. */
  public static String fileName(Site site) {
    return "gatehouse-" + site.certificateName() + ".conf";
  }

  /** The finished site: redirect on port 80, TLS on 443. The certificate files must exist for {@code nginx -t}. */
  public GeneratedFile https(Site site) {
    ConfigText t = new ConfigText(INDENT, "# ");
    t.comment(
        "nginx site for "
            + String.join(" ", site.names())
            + ", written by `gatehouse generate nginx`.\n"
            + "It belongs inside nginx's http {} block (Debian: /etc/nginx/sites-enabled/).\n"
            + "Check it with `nginx -t`, apply it with `nginx -s reload`.");
    t.blank();
    upgradeMap(t);
    t.blank();
    t.comment("Port 80: ACME challenges, and a redirect to HTTPS for everything else.");
    t.open("server {");
    listen(t, site, site.httpPort(), "");
    t.line("server_name " + String.join(" ", site.names()) + ";");
    t.blank();
    NginxHostCheck.writeExplained(t, site.names());
    t.blank();
    acmeLocation(t, site);
    t.blank();
    t.comment(
        "Same host (one of the names, checked above), path and query over HTTPS. 301 is what browsers\n"
            + "and search engines expect here.");
    t.open("location / {");
    t.line("return 301 https://$host" + site.httpsPortSuffix() + "$request_uri;");
    t.close();
    t.close();
    t.blank();
    t.comment("Port 443: TLS, static files, and the app.");
    t.open("server {");
    if (version.hasHttp2Directive()) {
      listen(t, site, site.httpsPort(), " ssl");
      t.line("http2 on;");
    } else {
      t.comment("`listen ... http2`: the `http2` directive only exists from nginx " + NginxVersion.HTTP2_DIRECTIVE + ".");
      listen(t, site, site.httpsPort(), " ssl http2");
    }
    t.line("server_name " + String.join(" ", site.names()) + ";");
    t.blank();
    NginxHostCheck.writeForTls(t, site.names());
    t.blank();
    t.comment("The certbot layout: live/NAME/ with NAME the first name; fullchain.pem holds the leaf and intermediates.");
    t.line("ssl_certificate " + site.fullchain() + ";");
    t.line("ssl_certificate_key " + site.privkey() + ";");
    t.blank();
    tls(t);
    t.blank();
    t.comment("Larger request bodies get 413 from nginx before they reach Django.");
    t.line("client_max_body_size " + SizeUnits.nginx(site.maxBodyBytes()) + ";");
    t.comment("The version in Server and error pages only helps whoever looks for a vulnerable one.");
    t.line("server_tokens off;");
    Optional<String> hsts = HstsStages.headerValue(site.hsts());
    if (hsts.isPresent()) {
      t.blank();
      hstsComment(t, site);
      t.line("add_header Strict-Transport-Security \"" + hsts.get() + "\" always;");
      t.comment("No add_header in the locations below: a location with its own add_header drops this one.");
    }
    appLocations(t, site, hsts.isPresent());
    t.close();
    return new GeneratedFile(fileName(site), t.toString());
  }

  /**
   * Port 80 only, serving the app over HTTP as before plus the ACME challenge location: the stage before the
   * first certificate exists ({@code nginx -t} would reject the HTTPS site without its files). {@code nginx
   * setup} installs it while it obtains the certificate; by hand it is {@code generate nginx --http-only}.
   */
  public GeneratedFile httpOnly(Site site) {
    ConfigText t = new ConfigText(INDENT, "# ");
    t.comment(
        "nginx site for "
            + String.join(" ", site.names())
            + " over plain HTTP, written by `gatehouse generate nginx --http-only`\n"
            + "or `gatehouse nginx setup`: ACME challenges from the webroot, the app as before, until the\n"
            + "certificate exists. Then replace it with the output of `gatehouse generate nginx`.");
    t.blank();
    upgradeMap(t);
    t.blank();
    t.open("server {");
    listen(t, site, site.httpPort(), "");
    t.line("server_name " + String.join(" ", site.names()) + ";");
    t.blank();
    NginxHostCheck.writeExplained(t, site.names());
    t.blank();
    acmeLocation(t, site);
    t.blank();
    t.line("client_max_body_size " + SizeUnits.nginx(site.maxBodyBytes()) + ";");
    appLocations(t, site, false);
    t.close();
    return new GeneratedFile(fileName(site), t.toString());
  }

  private static void listen(ConfigText t, Site site, int port, String params) {
    if (site.bind().isPresent()) {
      String addr = site.bind().get();
      t.line("listen " + (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + port + params + ";");
    } else {
      t.line("listen " + port + params + ";");
      t.line("listen [::]:" + port + params + ";");
    }
  }

  /** At http level, outside the server blocks: nginx allows {@code map} nowhere else. */
  private static void upgradeMap(ConfigText t) {
    t.comment(
        "WebSockets (Django Channels, Uvicorn): an `Upgrade: " + UPGRADE_PROTOCOL + "` request goes to the app with\n"
            + "`Connection: upgrade`. Every other request gets no Connection header (HTTP/1.1 keep-alive), so an\n"
            + "upstream block with `keepalive` reuses its connections. Gunicorn's sync workers answer an upgrade\n"
            + "request as a plain one. The client's own Connection header is hop-by-hop (RFC 9110 §7.6.1).");
    t.open("map $http_upgrade " + CONNECTION_VARIABLE + " {");
    t.line("default \"\";");
    t.line(UPGRADE_PROTOCOL + " upgrade;");
    t.close();
  }

  private static void acmeLocation(ConfigText t, Site site) {
    t.comment(
        "ACME http-01 (RFC 8555 §8.3): `gatehouse certs issue --webroot "
            + site.webroot()
            + "` (or certbot's\n--webroot) writes each token to "
            + site.webroot()
            + "/.well-known/acme-challenge/. ^~ keeps regex locations out.");
    t.open("location ^~ /.well-known/acme-challenge/ {");
    t.line("root " + site.webroot() + ";");
    t.line("default_type text/plain;");
    t.line("try_files $uri =404;");
    t.close();
  }

  private static void tls(ConfigText t) {
    t.comment(
        "Mozilla intermediate TLS (" + MozillaIntermediateTls.GUIDELINES + "):\n"
            + "TLS 1.2 and 1.3, AEAD ciphers with forward secrecy; every one is strong, so the client chooses.");
    t.line("ssl_protocols " + String.join(" ", MozillaIntermediateTls.PROTOCOLS) + ";");
    t.line("ssl_ciphers " + String.join(":", MozillaIntermediateTls.TLS12_CIPHERS) + ";");
    t.line("ssl_ecdh_curve " + String.join(":", MozillaIntermediateTls.CURVES) + ";");
    t.line("ssl_prefer_server_ciphers " + (MozillaIntermediateTls.SERVER_PREFERRED_ORDER ? "on" : "off") + ";");
    t.comment("Resumption from a server-side cache; tickets off, because nginx never rotates their key.");
    t.line("ssl_session_timeout " + MozillaIntermediateTls.SESSION_TIMEOUT + ";");
    t.line("ssl_session_cache " + MozillaIntermediateTls.SESSION_CACHE + ";");
    t.line("ssl_session_tickets off;");
  }

  private static void hstsComment(ConfigText t, Site site) {
    switch (site.hsts().mode()) {
      case RAMP -> t.comment(
          "HSTS (RFC 6797), staged: browsers that saw this header use only HTTPS here for max-age seconds.\n"
              + "Start small; once every name has served HTTPS without trouble for a whole stage, raise it\n"
              + "to the next: "
              + HstsStages.rampText()
              + " (edit the number, `nginx -t`,\n`nginx -s reload`, or regenerate with --hsts SECONDS)."
              + (site.hsts().preload() ? " Add `; preload` at 31536000." : "")
              + " Django's own header is hidden\nbelow, so browsers get exactly one.");
      case FIXED -> t.comment(
          "HSTS (RFC 6797): browsers that saw this header use only HTTPS here for max-age seconds.\n"
              + "Django's own header is hidden below, so browsers get exactly one.");
      case OFF -> throw new IllegalStateException("no HSTS comment without HSTS");
    }
  }

  private static void appLocations(ConfigText t, Site site, boolean nginxSendsHsts) {
    for (StaticMount mount : site.statics()) {
      t.blank();
      t.comment(
          "Served by nginx. Prefix and alias both end in / (a missing one lets "
              + trimSlash(mount.prefix())
              + "../ escape the directory).");
      t.open("location " + mount.prefix() + " {");
      t.line("alias " + withSlash(mount.directory().toString()) + ";");
      t.close();
    }
    t.blank();
    t.open("location / {");
    t.line("proxy_pass " + proxyTarget(site.upstream()) + ";");
    t.comment(
        "HTTP/1.1 to the app: the WebSocket handshake needs it (RFC 6455 §4.1); nginx's default is 1.0.\n"
            + "nginx closes a WebSocket quiet for proxy_read_timeout (60 s); Uvicorn's 20 s pings keep it open.");
    t.line("proxy_http_version 1.1;");
    t.line("proxy_set_header Upgrade $http_upgrade;");
    t.line("proxy_set_header Connection " + CONNECTION_VARIABLE + ";");
    t.comment(
        "The client's Host, port included: Django checks it against ALLOWED_HOSTS, builds absolute URLs\n"
            + "from it, and (4.0+) compares the Origin of a POST with it for CSRF. $host would drop the port.");
    t.line("proxy_set_header Host $http_host;");
    t.line("proxy_set_header X-Forwarded-Host $http_host;");
    t.line("proxy_set_header X-Forwarded-Port $server_port;");
    t.comment("What SECURE_PROXY_SSL_HEADER reads: request.is_secure() is true exactly when this is https.");
    t.line("proxy_set_header X-Forwarded-Proto $scheme;");
    t.comment("nginx is the first proxy: a client's own X-Forwarded-For is replaced, not appended to.");
    t.line("proxy_set_header X-Forwarded-For $remote_addr;");
    t.line("proxy_set_header X-Real-IP $remote_addr;");
    t.comment("Only a proxy may set these: a client's copies are dropped (Gunicorn trusts them from any socket peer).");
    for (String h : CLIENT_HEADERS_DROPPED) {
      t.line("proxy_set_header " + h + " \"\";");
    }
    t.comment("Django's Location headers are already right (Host and scheme come from the lines above).");
    t.line("proxy_redirect off;");
    if (nginxSendsHsts) {
      t.line("proxy_hide_header Strict-Transport-Security;");
    }
    t.close();
  }

  private static String proxyTarget(Upstream upstream) {
    if (upstream instanceof Upstream.UnixSocket socket) {
      return "http://unix:" + socket.socket();
    }
    return "http://" + upstream.spec();
  }

  private static String withSlash(String dir) {
    return dir.endsWith("/") ? dir : dir + "/";
  }

  private static String trimSlash(String prefix) {
    return prefix.substring(0, prefix.length() - 1);
  }
}
