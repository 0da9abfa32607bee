package dev.gatehouse.audit;

import java.nio.file.Path;

/**
 * The nginx {@code http {}} block of a Django deployment as the guides write it (a port-80 server that
 * redirects, a TLS server that proxies to Gunicorn), correct by default, with one switch per mistake the audit
 * must catch. Immutable; each {@code with…} returns a changed copy.
 *
 * @param host server_name and the name audited
 * @param httpPort plain-HTTP listener on 127.0.0.1
 * @param httpsPort TLS listener on 127.0.0.1
 * @param upstream Gunicorn's address as nginx writes it ({@code unix:/path/app.sock})
 * @param certificate chain file (leaf first)
 * @param key private key file
 * @param forwardedProto value of {@code X-Forwarded-Proto}, or null to send none
 * @param forwardedFor value of {@code X-Forwarded-For}
 * @param forwardedHost value of {@code X-Forwarded-Host}, or null to leave the client's header alone
 * @param redirectStatus status of the port-80 redirect
 * @param hsts {@code Strict-Transport-Security} of the TLS server, or null for none
 * @param hstsOnHttp whether the port-80 server sends {@code Strict-Transport-Security} too
 * @param http2 whether the TLS listener offers h2
 * @param protocols {@code ssl_protocols}
 * @param ciphers {@code ssl_ciphers}
 * @param serverTokens whether {@code Server} shows nginx's version
 * @param acmeLocation body of the port-80 {@code location /.well-known/acme-challenge/}, or null for none
 * @param extraTls more directives for the TLS server
 * @param layout which paths nginx answers itself, where the app is mounted, and whether a second nginx hop
 *     stands between the TLS server and the app
 */
record NginxSite(String host, int httpPort, int httpsPort, String upstream, Path certificate, Path key,
    String forwardedProto, String forwardedFor, String forwardedHost, int redirectStatus, String hsts,
    boolean hstsOnHttp, boolean http2, String protocols, String ciphers, boolean serverTokens,
    String acmeLocation, String extraTls, Layout layout) {

  /** Mozilla intermediate for TLS 1.2 (ssl-config.mozilla.org). */
  static final String MOZILLA_INTERMEDIATE_CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
      + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
      + "ECDHE-RSA-CHACHA20-POLY1305";
  static final String GOOD_HSTS = "max-age=31536000; includeSubDomains";

  /**
   * Where the app sits behind nginx. The TLS server's forwarding headers ({@code forwardedProto} …) are set by
   * the edge, the server that terminates TLS; an inner hop passes the request headers on as they come.
   *
   * @param landingPage HTML nginx answers {@code /} with itself (with the security headers a careful operator
   *     adds), or null to send {@code /} to the app
   * @param appPrefix the location proxied to the app: {@code /}, or a prefix like {@code /app/} that nginx strips
   *     (the app then runs with {@code FORCE_SCRIPT_NAME}); other paths get nginx's own 404
   * @param innerPort 0, or the plain-HTTP port of a second nginx server on 127.0.0.1 that the TLS server proxies
   *     everything to and that holds the landing page and the app location
   * @param innerDirectives more directives for the inner server's app location (its mistakes)
   */
  record Layout(String landingPage, String appPrefix, int innerPort, String innerDirectives) {
    static final Layout APP_AT_ROOT = new Layout(null, "/", 0, "");

    /** nginx answers {@code /} with {@code html}; every other path goes to the app. */
    static Layout landingPage(String html) {
      return new Layout(html, "/", 0, "");
    }

    /** nginx answers {@code /} with {@code html} and proxies {@code prefix} (stripped) to the app. */
    static Layout appUnder(String prefix, String html) {
      return new Layout(html, prefix, 0, "");
    }

    /** This layout behind a second nginx hop, on {@code port}. */
    Layout behindInnerHop(int port) {
      return new Layout(landingPage, appPrefix, port, innerDirectives);
    }

    /** This layout with {@code directives} added to the inner hop's app location. */
    Layout withInnerDirectives(String directives) {
      return new Layout(landingPage, appPrefix, innerPort, directives);
    }
  }

  /** The correct deployment. */
  static NginxSite good(String host, int httpPort, int httpsPort, String upstream, Path certificate, Path key) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, "$scheme", "$remote_addr", null,
        301, GOOD_HSTS, false, true, "TLSv1.2 TLSv1.3", MOZILLA_INTERMEDIATE_CIPHERS, false,
        "root /nonexistent-acme-webroot;", "", Layout.APP_AT_ROOT);
  }

  NginxSite withForwardedProto(String value) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, value, forwardedFor, forwardedHost,
        redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation, extraTls, layout);
  }

  NginxSite withForwardedFor(String value) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, value,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls, layout);
  }

  NginxSite withForwardedHost(String value) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        value, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls, layout);
  }

  NginxSite withRedirectStatus(int status) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, status, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls, layout);
  }

  NginxSite withHsts(String value, boolean alsoOnHttp) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, value, alsoOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls, layout);
  }

  NginxSite withHttp2(boolean on) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, on, protocols, ciphers, serverTokens, acmeLocation,
        extraTls, layout);
  }

  NginxSite withTls(String sslProtocols, String sslCiphers) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, sslProtocols, sslCiphers, serverTokens,
        acmeLocation, extraTls, layout);
  }

  NginxSite withServerTokens(boolean on) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, on, acmeLocation, extraTls, layout);
  }

  NginxSite withAcmeLocation(String body) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, body,
        extraTls, layout);
  }

  NginxSite withCertificate(Path chain, Path privateKey) {
    return new NginxSite(host, httpPort, httpsPort, upstream, chain, privateKey, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls, layout);
  }

  NginxSite withExtraTls(String directives) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        directives, layout);
  }

  NginxSite withLayout(Layout value) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls, value);
  }

  /** The {@code http {}} block content. */
  String httpBlock() {
    StringBuilder conf = new StringBuilder();
    conf.append("upstream django { server ").append(upstream).append("; }\n");
    conf.append("server {\n")
        .append("  listen 127.0.0.1:").append(httpPort).append(";\n")
        .append("  server_name ").append(host).append(";\n")
        .append("  server_tokens ").append(serverTokens ? "on" : "off").append(";\n");
    if (hstsOnHttp && hsts != null) {
      conf.append("  add_header Strict-Transport-Security \"").append(hsts).append("\" always;\n");
    }
    if (acmeLocation != null) {
      conf.append("  location /.well-known/acme-challenge/ { ").append(acmeLocation).append(" }\n");
    }
    conf.append("  location / { return ").append(redirectStatus).append(" https://$host:").append(httpsPort)
        .append("$request_uri; }\n")
        .append("}\n");
    conf.append("server {\n")
        .append("  listen 127.0.0.1:").append(httpsPort).append(" ssl").append(http2 ? " http2" : "").append(";\n")
        .append("  server_name ").append(host).append(";\n")
        .append("  server_tokens ").append(serverTokens ? "on" : "off").append(";\n")
        .append("  ssl_certificate ").append(certificate).append(";\n")
        .append("  ssl_certificate_key ").append(key).append(";\n")
        .append("  ssl_protocols ").append(protocols).append(";\n")
        .append("  ssl_ciphers ").append(ciphers).append(";\n");
    if (hsts != null) {
      conf.append("  add_header Strict-Transport-Security \"").append(hsts).append("\" always;\n");
    }
    conf.append(extraTls).append('\n');
    if (layout.innerPort() == 0) {
      appendLocations(conf, edgeHeaders(), true);
    } else {
      conf.append("  location / {\n")
          .append("    proxy_pass http://127.0.0.1:").append(layout.innerPort()).append(";\n")
          .append(edgeHeaders())
          .append("  }\n}\n");
      conf.append("server {\n")
          .append("  listen 127.0.0.1:").append(layout.innerPort()).append(";\n")
          .append("  server_name ").append(host).append(";\n")
          .append("  server_tokens ").append(serverTokens ? "on" : "off").append(";\n");
      appendLocations(conf, "    proxy_set_header Host $http_host;\n" + layout.innerDirectives(), false);
    }
    return conf.toString();
  }

  /**
   * The landing page and the app's location of the server that proxies to the app, then its closing brace.
   *
   * @param edge whether this server terminates TLS (and so sends HSTS)
   */
  private void appendLocations(StringBuilder conf, String appHeaders, boolean edge) {
    if (layout.landingPage() != null) {
      // A location with add_header drops the server's: the landing page repeats what the site must send.
      conf.append("  location = / {\n")
          .append("    default_type text/html;\n");
      if (hsts != null && edge) {
        conf.append("    add_header Strict-Transport-Security \"").append(hsts).append("\" always;\n");
      }
      conf.append("    add_header X-Content-Type-Options nosniff always;\n")
          .append("    add_header X-Frame-Options DENY always;\n")
          .append("    add_header Referrer-Policy same-origin always;\n")
          .append("    return 200 '").append(layout.landingPage()).append("';\n")
          .append("  }\n");
    }
    String strip = layout.appPrefix().equals("/") ? "" : "/";
    conf.append("  location ").append(layout.appPrefix()).append(" {\n")
        .append("    proxy_pass http://django").append(strip).append(";\n")
        .append(appHeaders)
        .append("  }\n}\n");
  }

  /** The headers the TLS server sets on requests it proxies. */
  private String edgeHeaders() {
    StringBuilder headers = new StringBuilder("    proxy_set_header Host $http_host;\n");
    if (forwardedProto != null) {
      headers.append("    proxy_set_header X-Forwarded-Proto ").append(forwardedProto).append(";\n");
    }
    headers.append("    proxy_set_header X-Forwarded-For ").append(forwardedFor).append(";\n")
        .append("    proxy_set_header X-Real-IP $remote_addr;\n");
    if (forwardedHost != null) {
      headers.append("    proxy_set_header X-Forwarded-Host ").append(forwardedHost).append(";\n");
    }
    return headers.toString();
  }
}
