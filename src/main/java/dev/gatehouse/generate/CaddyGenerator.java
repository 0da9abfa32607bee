package dev.gatehouse.generate;

import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import java.util.Optional;

/**
 * The same site as a Caddyfile. Caddy obtains and renews its own certificates and redirects HTTP to HTTPS
 * by itself, so the webroot and certificate directory play no part; what it needs to be told is the same
 * proxying and static file layout as the nginx file. Formatted as {@code caddy fmt} formats it (tabs).
 */
public final class CaddyGenerator {

  public static final String FILE_NAME = "Caddyfile";

  public GeneratedFile caddyfile(Site site) {
    ConfigText t = new ConfigText("\t", "# ");
    t.comment(
        "Caddyfile for "
            + String.join(" ", site.names())
            + ", written by `gatehouse generate caddy`.\n"
            + "Caddy gets and renews the certificate itself (ACME, RFC 8555) and redirects HTTP to HTTPS.\n"
            + "Check it with `caddy validate --adapter caddyfile --config Caddyfile`.");
    if (site.httpPort() != Site.DEFAULT_HTTP_PORT || site.httpsPort() != Site.DEFAULT_HTTPS_PORT) {
      t.open("{");
      t.line("http_port " + site.httpPort());
      t.line("https_port " + site.httpsPort());
      t.close();
    }
    t.blank();
    t.open(String.join(", ", site.names()) + " {");
    site.bind().ifPresent(addr -> t.line("bind " + addr));
    t.comment("Larger request bodies are refused before they reach Django.");
    t.open("request_body {");
    t.line("max_size " + SizeUnits.caddy(site.maxBodyBytes()));
    t.close();
    Optional<String> hsts = HstsStages.headerValue(site.hsts());
    if (hsts.isPresent()) {
      t.blank();
      hstsComment(t, site);
      t.line("header Strict-Transport-Security \"" + hsts.get() + "\"");
    }
    for (StaticMount mount : site.statics()) {
      t.blank();
      t.comment("Served by Caddy; handle_path strips " + mount.prefix() + " before looking in the directory.");
      t.open("handle_path " + mount.prefix() + "* {");
      t.line("root * " + mount.directory());
      t.line("file_server");
      t.close();
    }
    t.blank();
    t.open("handle {");
    t.comment(
        "Caddy passes the client's Host (port included) and sets X-Forwarded-For/-Proto/-Host itself,\n"
            + "replacing what an untrusted client sent. Django reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).");
    t.open("reverse_proxy " + dialAddress(site.upstream()) + " {");
    t.line("header_up X-Real-IP {remote_host}");
    t.comment("Only a proxy may set these: a client's copies are dropped (Gunicorn trusts them from any socket peer).");
    for (String h : NginxGenerator.CLIENT_HEADERS_DROPPED) {
      t.line("header_up -" + h);
    }
    if (hsts.isPresent()) {
      t.comment("One HSTS header, the one above.");
      t.line("header_down -Strict-Transport-Security");
    }
    t.close();
    t.close();
    t.close();
    otherHosts(t, site);
    return new GeneratedFile(FILE_NAME, t.toString());
  }

  /**
   * A block for every Host the site does not name (issue 12). Caddy matches site addresses by host, but its
   * automatic HTTPS also redirects every other Host on the HTTP port to {@code https://THAT-HOST/}, and on
   * HTTPS it answers a Host no site matches with an empty 200. Addresses without a host catch exactly what
   * no named site takes; they get no certificate, so a foreign TLS server name still fails the handshake.
   */
  private static void otherHosts(ConfigText t, Site site) {
    t.blank();
    t.comment(
        "Any other Host, on either port: "
            + NginxHostCheck.REFUSAL_STATUS
            + " Misdirected Request (RFC 9110 §15.5.20). Without this block Caddy\n"
            + "would redirect any Host on the HTTP port to https://THAT-HOST/, an open redirect.");
    t.open("http://, https:// {");
    site.bind().ifPresent(addr -> t.line("bind " + addr));
    t.line("respond " + NginxHostCheck.REFUSAL_STATUS);
    t.close();
  }

  private static void hstsComment(ConfigText t, Site site) {
    if (site.hsts().mode() == HstsPolicy.Mode.RAMP) {
      t.comment(
          "HSTS (RFC 6797), staged: start small, and once every name has served HTTPS without trouble for a\n"
              + "whole stage, raise max-age to the next: "
              + HstsStages.rampText()
              + "\n(edit the number and `caddy reload`, or regenerate with --hsts SECONDS).");
    } else {
      t.comment("HSTS (RFC 6797): browsers that saw this header use only HTTPS here for max-age seconds.");
    }
  }

  /** Caddy's upstream address syntax: {@code unix//path} for a socket, {@code host:port} for TCP. */
  private static String dialAddress(Upstream upstream) {
    if (upstream instanceof Upstream.UnixSocket socket) {
      return "unix/" + socket.socket();
    }
    return upstream.spec();
  }
}
