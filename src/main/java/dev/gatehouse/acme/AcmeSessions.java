package dev.gatehouse.acme;

import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.shredzone.acme4j.Session;

/** Opens the acme4j {@link Session} for a CA. */
final class AcmeSessions {
  private AcmeSessions() {}

  /**
   * {@code acme://} URIs ({@code acme://letsencrypt.org/staging}) go to acme4j's own providers; directory
   * URLs to one that also trusts {@link AcmeSettings#trustAnchors()}.
   *
   * @throws ConfigException when a trust anchor file is unreadable or no provider knows the URI
   */
  static Session open(AcmeSettings settings) throws ConfigException {
    URI directory = settings.directory();
    if ("acme".equalsIgnoreCase(directory.getScheme())) {
      try {
        return new Session(directory);
      } catch (IllegalArgumentException e) {
        throw ConfigException.invalid(
            "--ca", directory.toString(), "letsencrypt, letsencrypt-staging or an https:// directory URL");
      }
    }
    try {
      return new Session(directory, new TrustAnchorsAcmeProvider(readAnchors(settings.trustAnchors())));
    } catch (GeneralSecurityException e) {
      throw new ConfigException("--acme-trust: cannot build a trust store: " + e.getMessage());
    }
  }

  static List<X509Certificate> readAnchors(List<Path> files) throws ConfigException {
    List<X509Certificate> anchors = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        var certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        if (certs.isEmpty()) {
          throw ConfigException.invalid("--acme-trust", file.toString(), "a PEM file with CERTIFICATE blocks");
        }
        certs.forEach(c -> anchors.add((X509Certificate) c));
      } catch (IOException e) {
        throw ConfigException.invalid(
            "--acme-trust", file.toString(), "a readable PEM file (" + e.getClass().getSimpleName() + ")");
      } catch (CertificateException e) {
        throw ConfigException.invalid("--acme-trust", file.toString(), "a PEM file with CERTIFICATE blocks");
      }
    }
    return anchors;
  }
}
