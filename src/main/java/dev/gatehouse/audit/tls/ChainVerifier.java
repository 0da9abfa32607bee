package dev.gatehouse.audit.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Builds and validates a path from the server's leaf certificate to a root in the {@link TrustStore} (RFC 5280
 * §6), using only the certificates the server sent, as a browser without an intermediate cache would.
 * Revocation is not checked. Thread-safe.
 */
public final class ChainVerifier {
  private final TrustStore trust;

  public ChainVerifier(TrustStore trust) {
    this.trust = trust;
  }

  /**
   * Why the chain does not verify at {@code at}, or empty when it does.
   *
   * @param chain the certificates the server sent, leaf first
   */
  public Optional<String> problem(List<X509Certificate> chain, Instant at) {
    if (chain.isEmpty()) {
      return Optional.of("the server sent no certificate");
    }
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(chain.get(0));
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(trust.anchors(), target);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
      CertPathBuilder.getInstance("PKIX").build(parameters);
      return Optional.empty();
    } catch (CertPathBuilderException e) {
      return Optional.of(explain(chain, e));
    } catch (GeneralSecurityException e) {
      return Optional.of("cannot be verified: " + e.getMessage());
    }
  }

  private String explain(List<X509Certificate> chain, CertPathBuilderException failure) {
    X509Certificate last = chain.get(chain.size() - 1);
    String issuer = last.getIssuerX500Principal().getName();
    boolean issuerTrusted = trust.anchors().stream()
        .anyMatch(a -> a.getTrustedCert().getSubjectX500Principal().equals(last.getIssuerX500Principal()));
    if (issuerTrusted) {
      return "the chain reaches a root in " + trust.source() + " but does not validate: "
          + failure.getMessage();
    }
    if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
      return "the chain ends in the self-signed " + last.getSubjectX500Principal().getName()
          + ", which is not in " + trust.source();
    }
    return "no path to a root in " + trust.source() + ": the last certificate sent (" + chain.size()
        + " in all) was issued by " + issuer + ", which is neither sent nor trusted";
  }
}
