package dev.gatehouse.config;

import java.nio.file.Path;

/** Where a site's certificate comes from. */
public sealed interface CertificateSource {

  /** The operator's own PEM files ({@code --tls-cert}, {@code --tls-key}); the chain goes in the cert file. */
  record Provided(Path certificateChain, Path privateKey) implements CertificateSource {}

  /** The built-in local CA ({@code --ca internal}); the default for localhost-like names. */
  record LocalCa() implements CertificateSource {}

  /** An ACME CA ({@code --ca letsencrypt|letsencrypt-staging|URL}), configured by {@link AcmeSettings}. */
  record Acme() implements CertificateSource {}
}
