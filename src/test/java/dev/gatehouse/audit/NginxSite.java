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
 */
record NginxSite(String host, int httpPort, int httpsPort, String upstream, Path certificate, Path key,
    String forwardedProto, String forwardedFor, String forwardedHost, int redirectStatus, String hsts,
    boolean hstsOnHttp, boolean http2, String protocols, String ciphers, boolean serverTokens,
    String acmeLocation, String extraTls) {

  /** Mozilla intermediate for TLS 1.2 (ssl-config.mozilla.org). */
  static final String MOZILLA_INTERMEDIATE_CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
      + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
      + "ECDHE-RSA-CHACHA20-POLY1305";
  static final String GOOD_HSTS = "max-age=31536000; includeSubDomains";

  /** The correct deployment. */
  static NginxSite good(String host, int httpPort, int httpsPort, String upstream, Path certificate, Path key) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, "$scheme", "$remote_addr", null,
        301, GOOD_HSTS, false, true, "TLSv1.2 TLSv1.3", MOZILLA_INTERMEDIATE_CIPHERS, false,
        "root /nonexistent-acme-webroot;", "");
  }

  NginxSite withForwardedProto(String value) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, value, forwardedFor, forwardedHost,
        redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation, extraTls);
  }

  NginxSite withForwardedFor(String value) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, value,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls);
  }

  NginxSite withForwardedHost(String value) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        value, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation, extraTls);
  }

  NginxSite withRedirectStatus(int status) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, status, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation, extraTls);
  }

  NginxSite withHsts(String value, boolean alsoOnHttp) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, value, alsoOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls);
  }

  NginxSite withHttp2(boolean on) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, on, protocols, ciphers, serverTokens, acmeLocation,
        extraTls);
  }

  NginxSite withTls(String sslProtocols, String sslCiphers) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, sslProtocols, sslCiphers, serverTokens,
        acmeLocation, extraTls);
  }

  NginxSite withServerTokens(boolean on) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, on, acmeLocation, extraTls);
  }

  NginxSite withAcmeLocation(String body) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, body, extraTls);
  }

  NginxSite withCertificate(Path chain, Path privateKey) {
    return new NginxSite(host, httpPort, httpsPort, upstream, chain, privateKey, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        extraTls);
  }

  NginxSite withExtraTls(String directives) {
    return new NginxSite(host, httpPort, httpsPort, upstream, certificate, key, forwardedProto, forwardedFor,
        forwardedHost, redirectStatus, hsts, hstsOnHttp, http2, protocols, ciphers, serverTokens, acmeLocation,
        directives);
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
    conf.append("  location / {\n")
        .append("    proxy_pass http://django;\n")
        .append("    proxy_set_header Host $http_host;\n");
    if (forwardedProto != null) {
      conf.append("    proxy_set_header X-Forwarded-Proto ").append(forwardedProto).append(";\n");
    }
    conf.append("    proxy_set_header X-Forwarded-For ").append(forwardedFor).append(";\n")
        .append("    proxy_set_header X-Real-IP $remote_addr;\n");
    if (forwardedHost != null) {
      conf.append("    proxy_set_header X-Forwarded-Host ").append(forwardedHost).append(";\n");
    }
    conf.append("  }\n}\n");
    return conf.toString();
  }
}
