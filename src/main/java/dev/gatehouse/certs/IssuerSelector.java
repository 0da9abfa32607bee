package dev.gatehouse.certs;

import dev.gatehouse.config.CertificateSource;
import dev.gatehouse.config.SiteConfig;
import java.util.Optional;

/**
 * Which {@link Issuer} gets certificates for a site: how the local CA and the ACME issuer plug into {@link
 * CertificateManager}. Empty for a site whose certificate the operator provides.
 */
@FunctionalInterface
public interface IssuerSelector {

  Optional<Issuer> issuerFor(SiteConfig site);

  /**
   * The usual selection: {@link CertificateSource.LocalCa} sites from {@code localCa}, {@link
   * CertificateSource.Acme} sites from {@code acme} (empty if no ACME issuer is configured, which {@link
   * CertificateManager#start} reports), provided certificates from nobody.
   */
  static IssuerSelector bySource(Issuer localCa, Optional<Issuer> acme) {
    return site -> {
      CertificateSource source = site.certificate();
      if (source instanceof CertificateSource.LocalCa) {
        return Optional.of(localCa);
      }
      if (source instanceof CertificateSource.Acme) {
        return acme;
      }
      return Optional.empty();
    };
  }
}
